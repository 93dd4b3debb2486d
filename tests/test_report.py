"""report.json, angles.csv, timeline.png, report.html and overlay.mp4."""

from __future__ import annotations

import json
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import xarray as xr  # noqa: E402
from test_findings_helpers import (  # noqa: E402
    StandInAnalysis,
    angle_table,
    clip_analysis,
    clip_video,
    make_segmentation,
    squat_columns,
    squat_reps,
)

from movelab.findings import Finding, detect_findings  # noqa: E402
from movelab.report import OUTPUT_FILES, build_report, render_html, write_outputs  # noqa: E402

EVIL = '<script>alert("x")</script> & <img src=http://example.com/x.png>'


def synthetic_analysis(extra_findings=()) -> StandInAnalysis:
    """Two side-view squats with too much trunk lean (see test_findings), no pelvic tilt measured."""
    standing = {
        "knee_flexion_left": 0.0,
        "knee_flexion_right": 0.0,
        "thigh_angle_left": 0.0,
        "thigh_angle_right": 0.0,
        "trunk_lean": 0.0,
    }
    bottom = {
        "knee_flexion_left": 120.0,
        "knee_flexion_right": 120.0,
        "thigh_angle_left": 95.0,
        "thigh_angle_right": 95.0,
        "trunk_lean": 50.0,
    }
    angles = angle_table(5.5, squat_columns(standing, bottom))
    segmentation = make_segmentation("squat", reps=squat_reps())
    findings = detect_findings(angles, segmentation, views="side_right") + tuple(extra_findings)
    ds = xr.Dataset(
        coords={"time": angles.index.to_numpy()},
        attrs={"source_path": "/videos/client 1 squat.mp4", "width_px": 640, "height_px": 480},
    )
    views = pd.DataFrame(
        {"start_s": [0.0], "end_s": [5.5], "view": ["side_right"], "start_frame": [0], "end_frame": [164]}
    )
    summary = {
        "video": {"path": "/videos/client 1 squat.mp4", "frames": len(angles), "duration_s": 5.5},
        "pose": {"detection_rate": 0.98},
    }
    return StandInAnalysis(ds, angles, views, segmentation, findings, summary)


def test_report_is_plain_json_with_the_contract_keys():
    report = build_report(synthetic_analysis())
    text = json.dumps(report, allow_nan=False)  # no NaN anywhere
    assert json.loads(text) == report
    for key in ("video", "view", "movement", "reps", "per_span", "metrics", "findings", "thresholds"):
        assert key in report
    assert report["movement"] == "squat" and report["view"] == "side_right"
    assert report["video"]["name"] == "client 1 squat.mp4"
    assert report["metrics"]["pelvic_tilt"] == {"frames": 0, "fraction": 0.0}
    assert report["metrics"]["trunk_lean"]["max"] == pytest.approx(50.0)
    codes = [f["code"] for f in report["findings"] if f["severity"] != "info"]
    assert codes == ["excessive_trunk_lean"]
    assert [r["max_trunk_lean_deg"] for r in report["per_span"]] == [50.0, 50.0]
    assert all(t["source"] for t in report["thresholds"])


def test_write_outputs_writes_the_four_files(tmp_path):
    analysis = synthetic_analysis()
    files = write_outputs(analysis, tmp_path / "out")
    assert [f.name for f in files] == list(OUTPUT_FILES[:4])
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report == json.loads(json.dumps(build_report(analysis)))
    csv = pd.read_csv(tmp_path / "out" / "angles.csv", index_col="time_s")
    assert list(csv.columns) == list(analysis.angles.columns)
    np.testing.assert_allclose(csv.index, analysis.angles.index, atol=1e-4)
    np.testing.assert_allclose(csv["trunk_lean"], analysis.angles["trunk_lean"], atol=1e-4)
    assert csv["pelvic_tilt"].isna().all()
    assert (tmp_path / "out" / "timeline.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_nothing_is_written_when_a_file_fails(tmp_path, monkeypatch):
    import movelab.report.write as write_module

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(write_module, "render_html", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        write_outputs(synthetic_analysis(), tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert list(tmp_path.iterdir()) == []


def test_html_is_self_contained_and_escapes_text(tmp_path):
    evil = Finding("knee_valgus", "mild", "left", 0.5, 2.5, 14.0, 12.0, EVIL, EVIL, quantity=EVIL)
    write_outputs(synthetic_analysis([evil]), tmp_path / "out")
    html = (tmp_path / "out" / "report.html").read_text()
    assert "<script" not in html.lower()
    tags = _tags(html)
    assert {t for t, _ in tags} <= {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "main",
        "h1",
        "h2",
        "h3",
        "p",
        "div",
        "span",
        "b",
        "ul",
        "li",
        "figure",
        "img",
        "figcaption",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "details",
        "summary",
    }
    links = [v for _, attrs in tags for k, v in attrs if k in ("src", "href")]
    assert links and all(v.startswith("data:image/png;base64,") for v in links)  # nothing external
    assert "&lt;script&gt;" in html and "&amp;" in html
    assert len(re.findall(r'src="data:image/png;base64,', html)) >= 1
    assert html.count('class="finding ') == 2  # trunk lean + the injected one


def _tags(html: str) -> list[tuple[str, list]]:
    from html.parser import HTMLParser

    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Parser().feed(html)
    return found


def test_html_without_findings_says_so():
    report = build_report(synthetic_analysis())
    report["findings"] = []
    html = render_html(report, {})
    assert "No pattern passed its threshold" in html


# ----------------------------------------------------------------------------- rendered video (slow)


@pytest.mark.parametrize("blur", [True, False])
@pytest.mark.slow
def test_overlay_streams_every_frame_and_blurs_the_face(tmp_path, blur):
    import av

    from movelab.io.video import open_video
    from movelab.report.overlay import face_box

    analysis = clip_analysis("squat_side_pattern")
    path, *_ = clip_video("squat_side_pattern")
    write_outputs(analysis, tmp_path / "out", overlay=True, blur_faces=blur)
    with av.open(str(tmp_path / "out" / "overlay.mp4")) as box:
        assert box.streams.video[0].codec_context.name == "h264"
        frames = [f.to_ndarray(format="rgb24") for f in box.decode(video=0)]
    assert len(frames) == analysis.landmarks.sizes["time"]
    i = 10  # standing, face in profile
    face = analysis.landmarks["position_px"].values[i, :11]
    x0, y0 = np.floor(np.nanmin(face, axis=0)).astype(int)  # the face itself, inside the blurred box
    x1, y1 = np.ceil(np.nanmax(face, axis=0)).astype(int) + 1
    assert face_box(face, 640, 480) is not None
    with open_video(path) as reader:
        original = next(f.image for f in reader if f.index == i)
    sharp = _detail(original[y0:y1, x0:x1])
    shown = _detail(frames[i][y0:y1, x0:x1])
    if blur:
        assert shown < 0.5 * sharp
    else:
        assert shown > 0.7 * sharp


def _detail(image: np.ndarray) -> float:
    grey = image.astype(float).mean(axis=2)
    return float(np.abs(np.diff(grey, axis=0)).mean() + np.abs(np.diff(grey, axis=1)).mean())


@pytest.mark.slow
def test_gait_report_has_cycles(tmp_path):
    write_outputs(clip_analysis("gait_side_reduced"), tmp_path / "out")
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["movement"] == "gait" and len(report["cycles"]) >= 3
    right = [r for r in report["per_span"] if r["side"] == "right"]
    assert right and all(r["peak_extension_deg"] < 10 for r in right)
    assert any(f["code"] == "reduced_hip_extension" and f["severity"] != "info" for f in report["findings"])
