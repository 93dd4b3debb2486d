"""Where the pelvic tilt comes from (markers, outline, outline calibrated to the client) and what findings and
the client baseline say about it. Hand-made tables and Datasets with exact values; no model."""

from __future__ import annotations

import json

import numpy as np
import pytest
from test_findings_helpers import angle_table, make_segmentation

from movelab import landmarks as lm
from movelab.errors import ConfigError, InputError
from movelab.extraction import _marker_arrays, _Payload
from movelab.findings.config import MethodError
from movelab.kinematics.config import ClientCalibration
from movelab.kinematics.markers import MIN_CALIBRATION_FRAMES, client_calibration, pelvic_tilt_with_source
from movelab.pose.markers import Dots
from movelab.report.write import CLIENT_BASELINE, load_client_baseline


def _findings(source: dict | None, code: str):
    """The finding ``code`` on 4 s of standing at tilt 28 deg and lordosis 62 deg, the tilt's source as the
    Motion would say (``None``: an angle table alone)."""
    from movelab.findings import FindingsConfig
    from movelab.findings._context import build_context
    from movelab.findings.detect import anterior_pelvic_tilt, excessive_lumbar_lordosis

    table = angle_table(4.0, {"pelvic_tilt": 28.0, "lumbar_lordosis": 62.0})
    ctx = build_context(
        table, make_segmentation("posture"), views=None, positions=None, config=FindingsConfig(), tilt_source=source
    )
    detector = {"anterior_pelvic_tilt": anterior_pelvic_tilt, "excessive_lumbar_lordosis": excessive_lumbar_lordosis}
    (f,) = detector[code](ctx)
    return f


@pytest.mark.parametrize(
    "source, says, error",
    [
        ({"mode": "markers", "calibration": None}, "ASIS/PSIS skin markers", 2.0),
        ({"mode": "outline", "calibration": {"pelvic_tilt_offset_deg": 3.0, "frames": 60}}, "calibrated", 3.3),
        ({"mode": "outline", "calibration": None}, "population calibration", 9.5),
        (None, "population calibration", 9.5),
    ],
)
def test_anterior_pelvic_tilt_names_its_source_and_error(source, says, error):
    f = _findings(source, "anterior_pelvic_tilt")
    assert says in f.reference and f"method error {error:g}°" in f.reference
    assert f"about {error:g}°" in f.message


def test_the_clips_per_frame_uncertainty_reaches_the_tilt_finding():
    f = _findings({"mode": "outline", "calibration": None, "median_sd_deg": 3.4}, "anterior_pelvic_tilt")
    assert "per-frame uncertainty ±3.4°" in f.reference


def test_lordosis_finding_states_the_held_out_outline_error():
    f = _findings(None, "excessive_lumbar_lordosis")
    held_out_deg = MethodError().lumbar_lordosis_outline_absolute.value
    assert "source: outline" in f.reference and f"{held_out_deg:g}" in f.reference and "not tuned on" in f.message


def _marker_dataset(n: int, tilt_deg: float):
    ds = lm.from_arrays(
        time_s=np.arange(n) / 30.0, position_px=np.full((n, 33, 2), np.nan), width_px=640, height_px=480
    )
    dy = 30 * np.tan(np.radians(tilt_deg))
    pair = Dots(np.array([[100.0, 100.0], [130.0, 100.0 + dy]]), np.array([30.0, 30.0]), 2)
    return ds.assign(_marker_arrays([_Payload(None, dots={"green": pair})] * n, "green"))  # type: ignore[arg-type]


def test_marker_mode_reports_markers_and_yields_the_clients_offset():
    n = MIN_CALIBRATION_FRAMES + 5
    outline = np.full(n, 17.0)
    tilt, source, info = pelvic_tilt_with_source(_marker_dataset(n, 12.0), "side_right", outline)
    assert np.allclose(tilt, 12.0) and set(source) == {"markers"} and info["mode"] == "markers"
    assert info["client_calibration"]["pelvic_tilt_offset_deg"] == pytest.approx(5.0)


def test_a_motion_in_marker_mode_measures_the_tilt_and_flags_it_as_measured():
    """compute_motion on dots alone (no keypoints): the angle table's tilt is the markers', the Motion says
    so, and the tilt finding is worded and bounded as a marker measurement."""
    from movelab.findings import detect_findings
    from movelab.kinematics import compute_motion

    n = 120
    with pytest.warns(UserWarning, match="not detected"):  # dots only, no keypoints
        motion = compute_motion(_marker_dataset(n, 28.0), views="side_right")
    assert np.allclose(motion.angles["pelvic_tilt"], 28.0)
    assert set(motion.outline["pelvic_tilt_source"]) == {"markers"}
    assert motion.pelvic_tilt_source["mode"] == "markers"
    (f,) = [f for f in detect_findings(motion, make_segmentation("posture")) if f.code == "anterior_pelvic_tilt"]
    assert "ASIS/PSIS skin markers" in f.reference and f.value == pytest.approx(28.0)


def test_the_client_offset_corrects_a_later_outline_session():
    n = 10
    ds = lm.from_arrays(
        time_s=np.arange(n) / 30.0, position_px=np.full((n, 33, 2), np.nan), width_px=640, height_px=480
    )
    outline = np.r_[np.full(n - 1, 17.0), np.nan]
    cal = ClientCalibration(5.0, 60, "session-1")
    tilt, source, info = pelvic_tilt_with_source(ds, "side_right", outline, calibration=cal)
    assert np.allclose(tilt[:-1], 12.0) and np.isnan(tilt[-1])
    assert list(source) == ["outline"] * (n - 1) + [""]
    assert "session-1" in info["note"] and info["calibration"]["pelvic_tilt_offset_deg"] == 5.0


def test_too_few_frames_make_no_calibration():
    values = np.full(MIN_CALIBRATION_FRAMES - 1, 10.0)
    assert client_calibration(values, values + 3) is None


@pytest.mark.parametrize("offset, frames", [(float("nan"), 30), (60.0, 30), (3.0, 0)])
def test_bad_calibrations_are_refused(offset, frames):
    with pytest.raises(ConfigError):
        ClientCalibration(offset, frames)


def test_client_baseline_folder_must_hold_the_file(tmp_path):
    with pytest.raises(InputError, match="analysed with --markers"):
        load_client_baseline(tmp_path)
    (tmp_path / CLIENT_BASELINE).write_text(json.dumps({"pelvic_tilt_offset_deg": "x"}))
    with pytest.raises(InputError, match="not a client baseline"):
        load_client_baseline(tmp_path)
    (tmp_path / CLIENT_BASELINE).write_text(json.dumps({"pelvic_tilt_offset_deg": 4.5, "frames": 80}))
    assert load_client_baseline(tmp_path) == ClientCalibration(4.5, 80, str(tmp_path))
