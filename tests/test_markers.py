"""Marker mode: ASIS/PSIS sticker dots found on rendered frames, and the pelvic tilt they give.

The frames are rendered by ``movelab.synth`` with stickers painted over the pelvis (``Appearance.marker_rgb``),
and the dots are searched near the truth's hip and shoulder pixels (no pose model): the tilt of the line
between the two dots must match the figure's pelvic tilt. The tilt from dot positions is checked exactly on
hand-made Datasets; the last test runs the pose model on an encoded clip (slow).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from movelab import landmarks as lm
from movelab.config import ExtractConfig
from movelab.errors import ConfigError
from movelab.extraction import _marker_arrays, _Payload
from movelab.kinematics.markers import marker_pelvic_tilt
from movelab.pose.markers import Dots, DotSearch, find_dots, parse_marker_spec
from movelab.synth import Appearance, Posture, render_clip
from movelab.synth.render import marker_points_m

GREEN = (40, 200, 60)
RED = (215, 30, 35)


def _frame_and_truth(
    *, view="side_right", marker=GREEN, shirt=(52, 100, 170), motion=None, t_index=0, radius_m=0.012, light="left"
):
    motion = motion or Posture(pelvic_tilt_deg=16.0, duration_s=0.2)
    app = Appearance(marker_rgb=marker, shirt_rgb=shirt, marker_radius_m=radius_m, light_from=light)
    clip = render_clip(motion, view=view, fps=10, duration_s=0.1, appearance=app)
    row = clip.truth.iloc[t_index]
    hip = np.array([(row.left_hip_x_px + row.right_hip_x_px) / 2, (row.left_hip_y_px + row.right_hip_y_px) / 2])
    sh = np.array(
        [(row.left_shoulder_x_px + row.right_shoulder_x_px) / 2, (row.left_shoulder_y_px + row.right_shoulder_y_px) / 2]
    )
    return clip.frame(t_index), hip, sh, float(row.pelvic_tilt)


def _tilt_of(dots: Dots, view: str) -> float:
    sign = 1.0 if view == "side_right" else -1.0
    asis, psis = (dots.centres_px[1], dots.centres_px[0]) if sign > 0 else (dots.centres_px[0], dots.centres_px[1])
    v = asis - psis
    return math.degrees(math.atan2(v[1], sign * v[0]))


@pytest.mark.parametrize("view", ["side_right", "side_left"])
@pytest.mark.parametrize("radius_m, light", [(0.010, "left"), (0.015, "right")])
def test_two_green_dots_give_the_figures_pelvic_tilt(view, radius_m, light):
    image, hip, sh, truth = _frame_and_truth(view=view, radius_m=radius_m, light=light)
    dots = find_dots(image, hip_px=hip, shoulder_px=sh, spec=parse_marker_spec("auto"))
    assert dots["green"].count == 2
    assert all(d.count != 2 for name, d in dots.items() if name != "green")
    assert _tilt_of(dots["green"], view) == pytest.approx(truth, abs=1.0)


def test_a_red_shirt_gives_no_false_dots_and_red_stickers_touching_it_are_not_reported():
    image, hip, sh, truth = _frame_and_truth(marker=GREEN, shirt=(170, 40, 40))
    dots = find_dots(image, hip_px=hip, shoulder_px=sh, spec=parse_marker_spec("auto"))
    assert dots["red"].count == 0 and dots["green"].count == 2
    assert _tilt_of(dots["green"], "side_right") == pytest.approx(truth, abs=1.0)
    image, hip, sh, _ = _frame_and_truth(marker=RED, shirt=(170, 40, 40))  # stickers at the shirt's hem
    assert find_dots(image, hip_px=hip, shoulder_px=sh, spec=parse_marker_spec("red"))["red"].count < 2
    image, hip, sh, truth = _frame_and_truth(marker=RED)  # the same stickers on a blue shirt
    dots = find_dots(image, hip_px=hip, shoulder_px=sh, spec=parse_marker_spec("red"))["red"]
    assert dots.count == 2 and _tilt_of(dots, "side_right") == pytest.approx(truth, abs=1.0)


def test_a_hidden_dot_leaves_one_and_the_frame_is_not_measured():
    image, hip, sh, _ = _frame_and_truth()
    dots = find_dots(image, hip_px=hip, shoulder_px=sh, spec=parse_marker_spec("green"))["green"]
    hidden = image.copy()
    x, y = np.round(dots.centres_px[0]).astype(int)
    hidden[y - 6 : y + 7, x - 6 : x + 7] = image[y + 14, x]  # the trousers below cover the PSIS sticker
    one = find_dots(hidden, hip_px=hip, shoulder_px=sh, spec=parse_marker_spec("green"))["green"]
    assert one.count == 1 and np.isnan(one.centres_px).all()
    ds = _dataset([dots, one, dots], "green")
    markers = marker_pelvic_tilt(ds, "side_right")
    table = markers.table
    assert list(table["status"]) == ["measured", "missing", "measured"]
    assert np.isnan(table["pelvic_tilt"].iloc[1]) and np.isfinite(table["pelvic_tilt"].iloc[[0, 2]]).all()
    assert "1 missing" in markers.note


def test_a_dot_hidden_by_the_hanging_arm_in_a_sway_is_not_guessed():
    """Trunk swayed 12 deg forward, arms hanging: the near arm hangs over the ASIS sticker."""
    motion = Posture(sway_amplitude_deg=12.0, period_s=2.0, duration_s=1.0)
    image, hip, sh, _ = _frame_and_truth(motion=motion, view="side_left", t_index=0)
    assert find_dots(image, hip_px=hip, shoulder_px=sh, spec=parse_marker_spec("green"))["green"].count == 2
    clip = render_clip(motion, view="side_left", fps=5, appearance=Appearance(marker_rgb=GREEN))
    row = clip.truth.iloc[3]
    assert row.trunk_lean > 11
    hip = np.array([(row.left_hip_x_px + row.right_hip_x_px) / 2, (row.left_hip_y_px + row.right_hip_y_px) / 2])
    sh = np.array(
        [(row.left_shoulder_x_px + row.right_shoulder_x_px) / 2, (row.left_shoulder_y_px + row.right_shoulder_y_px) / 2]
    )
    assert find_dots(clip.frame(3), hip_px=hip, shoulder_px=sh, spec=parse_marker_spec("green"))["green"].count == 1


def _dots(a, b, area=(30.0, 30.0), hidden=(0.0, 0.0), cut_sd=(0.0, 0.0)) -> Dots:
    return Dots(np.array([a, b], float), np.array(area, float), 2, np.array(hidden), np.array(cut_sd))


def _dataset(frames: list[Dots], colour: str):
    n = len(frames)
    ds = lm.from_arrays(
        time_s=np.arange(n) / 30.0, position_px=np.full((n, 33, 2), np.nan), width_px=640, height_px=480
    )
    clients = [_Payload(None, dots={colour: d}) for d in frames]  # type: ignore[arg-type]
    return ds.assign(_marker_arrays(clients, colour))


@pytest.mark.parametrize(
    "view, left, right, expected",
    [
        ("side_right", (100.0, 100.0), (130.0, 100.0 + 30 * math.tan(math.radians(12))), 12.0),  # ASIS right, lower
        ("side_right", (100.0, 100.0), (130.0, 100.0 - 30 * math.tan(math.radians(5))), -5.0),  # posterior tilt
        ("side_left", (100.0, 100.0 + 30 * math.tan(math.radians(12))), (130.0, 100.0), 12.0),  # ASIS left, lower
    ],
)
def test_tilt_is_the_psis_to_asis_line_below_horizontal(view, left, right, expected):
    table = marker_pelvic_tilt(_dataset([_dots(left, right)], "green"), view).table
    assert table["pelvic_tilt"].iloc[0] == pytest.approx(expected, abs=1e-9)


def test_front_view_smaller_dot_and_jumped_dot_are_nan_with_their_reason():
    ok = _dots((100.0, 100.0), (130.0, 105.0))
    small = _dots((100.0, 100.0), (130.0, 105.0), area=(30.0, 12.0))
    far = _dots((100.0, 100.0), (160.0, 105.0))
    table = marker_pelvic_tilt(_dataset([ok, ok, small, far, ok], "green"), "side_right").table
    assert list(table["status"]) == ["measured", "measured", "partly_hidden", "implausible", "measured"]
    assert marker_pelvic_tilt(_dataset([ok], "green"), "front").table["status"].iloc[0] == "not_side_view"


def _hem_frame(*, hem_m, radius_m, t_index=0):
    """A side-right frame whose shirt hem hangs ``hem_m`` above the stickers' line, the drawn sticker centres
    (PSIS, ASIS; the renderer's camera projection) and the hip and shoulder pixels."""
    app = Appearance(marker_rgb=GREEN, marker_radius_m=radius_m, marker_hem_m=hem_m)
    motion = Posture(pelvic_tilt_deg=16.0, duration_s=0.2, arms="folded")
    clip = render_clip(motion, view="side_right", fps=10, duration_s=0.1, appearance=app)
    row = clip.truth.iloc[t_index]
    hip = np.array([(row.left_hip_x_px + row.right_hip_x_px) / 2, (row.left_hip_y_px + row.right_hip_y_px) / 2])
    sh = np.array(
        [(row.left_shoulder_x_px + row.right_shoulder_x_px) / 2, (row.left_shoulder_y_px + row.right_shoulder_y_px) / 2]
    )
    points = marker_points_m(clip.figures[t_index])
    drawn = clip.camera.project(np.array([c + n * 0.002 for c, n in (points["right_psis"], points["right_asis"])]))
    return clip.frame(t_index), drawn, hip, sh


def test_a_dot_partly_under_the_shirts_hem_is_told_and_centred_from_its_lower_edge():
    """The hem hides the top third of the PSIS sticker: its centroid drops by over a pixel; the detector says
    how much is hidden, takes the centre from the dot's lower edge (within 0.5 px of the drawn centre) and
    widens its uncertainty; the ASIS dot is whole and exact."""
    image, drawn, hip, sh = _hem_frame(hem_m=None, radius_m=0.012)
    whole = find_dots(image, hip_px=hip, shoulder_px=sh, spec=parse_marker_spec("green"))["green"]
    assert whole.count == 2 and (whole.hidden < 0.25).all() and (whole.cut_sd_px == 0).all()
    assert np.abs(whole.centres_px - drawn).max() < 0.3
    image, drawn, hip, sh = _hem_frame(hem_m=0.01, radius_m=0.012)
    centroid = find_dots(
        image, hip_px=hip, shoulder_px=sh, spec=parse_marker_spec("green"), search=DotSearch(cut_from_above=False)
    )["green"]
    assert centroid.centres_px[0, 1] - drawn[0, 1] > 1.0  # the centroid of the visible part drops
    cut = find_dots(image, hip_px=hip, shoulder_px=sh, spec=parse_marker_spec("green"))["green"]
    assert cut.count == 2
    assert 0.25 < cut.hidden[0] < 0.5 and cut.hidden[1] == 0.0  # the PSIS (image-left) dot is cut
    error = np.linalg.norm(cut.centres_px - drawn, axis=1)
    assert error[0] < 0.5 and error[0] <= 2 * cut.cut_sd_px[0]
    assert error[1] < 0.3 and cut.cut_sd_px[1] == 0.0
    table = marker_pelvic_tilt(_dataset([whole, cut], "green"), "side_right").table
    assert list(table["status"]) == ["measured", "measured"]
    assert table["pelvic_tilt_sd"].iloc[1] > 1.5 * table["pelvic_tilt_sd"].iloc[0]
    assert table["pelvic_tilt"].iloc[1] == pytest.approx(table["pelvic_tilt"].iloc[0], abs=1.0)
    assert (
        "in 1 of the measured frames a sticker was partly covered"
        in marker_pelvic_tilt(_dataset([whole, cut], "green"), "side_right").note
    )


def test_the_hem_is_validated():
    with pytest.raises(ConfigError, match="marker_hem_m"):
        Appearance(marker_rgb=GREEN, marker_hem_m=0.2)


def test_a_dot_mostly_under_the_hem_is_nan_with_a_note():
    image, drawn, hip, sh = _hem_frame(hem_m=0.0, radius_m=0.02)
    dots = find_dots(image, hip_px=hip, shoulder_px=sh, spec=parse_marker_spec("green"))["green"]
    assert dots.count == 2 and dots.hidden[0] > 0.5
    assert np.isnan(dots.centres_px[0]).all() and np.isfinite(dots.centres_px[1]).all()
    whole = _dots((100.0, 100.0), (130.0, 105.0))
    markers = marker_pelvic_tilt(_dataset([whole, dots, whole], "green"), "side_right")
    assert list(markers.table["status"]) == ["measured", "partly_hidden", "measured"]
    assert np.isnan(markers.table["pelvic_tilt"].iloc[1])
    assert "1 partly hidden" in markers.note and "no value is guessed" in markers.note


def test_a_cut_dots_uncertainty_widens_the_tilts():
    whole = _dots((100.0, 100.0), (130.0, 105.0))
    cut = _dots((100.0, 100.0), (130.0, 105.0), hidden=(0.3, 0.0), cut_sd=(0.8, 0.0))
    sd = marker_pelvic_tilt(_dataset([whole, cut], "green"), "side_right").table["pelvic_tilt_sd"].to_numpy()
    spread = np.tan(np.radians(sd)) * np.hypot(30.0, 5.0)  # back to pixels across the dots' distance
    assert spread[1] ** 2 - spread[0] ** 2 == pytest.approx(0.8**2, rel=0.02)


def test_the_clips_colour_is_the_one_with_most_pairs():
    n = 4
    ds = lm.from_arrays(
        time_s=np.arange(n) / 30.0, position_px=np.full((n, 33, 2), np.nan), width_px=640, height_px=480
    )
    pair = _dots((100.0, 100.0), (130.0, 105.0))
    clients = [
        _Payload(None, dots={"green": pair if i else Dots.empty(1), "yellow": pair if i == 0 else Dots.empty()})
        for i in range(n)
    ]  # type: ignore[arg-type]
    markers = marker_pelvic_tilt(ds.assign(_marker_arrays(clients, "auto")), "side_right")
    table = markers.table
    assert markers.colour == "green"
    assert list(table["status"]) == ["missing", "measured", "measured", "measured"]


@pytest.mark.parametrize("text", ["purple", "hsv:1,2,3", "hsv:90,0,0:80,255,255", ""])
def test_bad_marker_colours_are_refused_with_what_is_accepted(text):
    with pytest.raises(ValueError, match="expects 'auto'"):
        parse_marker_spec(text)
    with pytest.raises(ConfigError, match="expects 'auto'"):
        ExtractConfig(markers=text)


def test_landmarks_cached_without_markers_keep_their_key():
    assert "markers" not in ExtractConfig().cache_key_fields()
    assert ExtractConfig(markers="auto").cache_key_fields()["markers"] == "auto"


@pytest.mark.slow
def test_marker_mode_end_to_end_through_crf_30(tmp_path):
    """A 2.5 s posture clip, pelvis tilting 4..20 deg with the arms folded, magenta stickers, crf 30, through the
    pose model and ``movelab analyse --markers auto``: tilt MAE <= 1.5 deg, the source column says markers."""
    import pandas as pd

    from movelab.cli import main

    clip = render_clip(
        Posture(pelvic_tilt_deg=12.0, tilt_amplitude_deg=8.0, period_s=2.5, duration_s=2.5, arms="folded"),
        view="side_left",
        fps=30,
        appearance=Appearance(marker_rgb=(220, 40, 200)),
    )
    video = clip.write(tmp_path / "posture.mp4", crf=30)["video"]
    assert (
        main(
            [
                "analyse",
                str(video),
                "--out",
                str(tmp_path / "out"),
                "--markers",
                "auto",
                "--movement",
                "posture",
                "--quiet",
                "--no-cache",
            ]
        )
        == 0
    )
    angles = pd.read_csv(tmp_path / "out" / "angles.csv")
    measured = angles["pelvic_tilt_source"] == "markers"
    assert measured.mean() >= 0.9
    err = angles["pelvic_tilt"][measured] - clip.truth["pelvic_tilt"][measured]
    assert float(np.abs(err).mean()) <= 1.5


_MUSTARD, _NAVY = (200, 160, 40), (40, 45, 70)


def _drawn_stickers(centres, *, radius_px: float, hem_y: float, size=(160, 160), supersample=8) -> np.ndarray:
    """A mustard shirt above ``hem_y``, navy trousers below, green discs at ``centres`` (x, y pixels; pixel
    centres at integers), each pixel the mean of ``supersample``² samples (an anti-aliased edge)."""
    h, w = size
    yy, xx = (np.mgrid[0 : h * supersample, 0 : w * supersample] + 0.5) / supersample - 0.5
    image = np.where((yy < hem_y)[..., None], np.array(_MUSTARD, float), np.array(_NAVY, float))
    for cx, cy in centres:
        image = np.where((np.hypot(xx - cx, yy - cy) <= radius_px)[..., None], np.array(GREEN, float), image)
    return image.reshape(h, supersample, w, supersample, 3).mean(axis=(1, 3)).round().astype(np.uint8)


def _through_h264(image: np.ndarray, crf: int, tmp_path) -> np.ndarray:
    from movelab.io.video import open_video
    from movelab.synth.video import write_mp4

    path = tmp_path / f"dots_crf{crf}.mp4"
    write_mp4([image] * 2, path, fps=30, crf=crf)
    with open_video(path) as reader:
        return next(iter(reader)).image


@pytest.mark.parametrize("crf", [20, 30])
def test_a_dot_on_the_shirts_hem_keeps_its_centre_through_h264(crf, tmp_path):
    """A 6.4 px green sticker across the hem (mustard above, navy below: the mixed edge pixels differ above and
    below) and one on the trousers, at four sub-pixel places, through x264 with 4:2:0 chroma: every found
    centre within 0.3 px of the drawn one (measured: 0.10 px at worst at crf 20, 0.26 at crf 30); at crf 20
    the unmixed centre errs on average under 0.7 times the saturation x value x hue centroid's
    (``unmix_centre=False``; measured 0.07 against 0.14 px; at crf 30 0.14 against 0.16)."""
    errors: dict[bool, list[float]] = {True: [], False: []}
    for dx, dy, hem in [(0.1, 0.3, -0.8), (0.55, 0.8, 0.4), (0.9, 0.1, 1.2), (0.3, 0.6, 0.0)]:
        psis, asis = np.array([60.0 + dx, 80.0 + dy]), np.array([95.0 + dy, 92.0 + dx])
        frame = _through_h264(_drawn_stickers([psis, asis], radius_px=3.2, hem_y=psis[1] + hem), crf, tmp_path)
        for unmix in (True, False):
            dots = find_dots(
                frame,
                hip_px=np.array([80.0, 95.0]),
                shoulder_px=np.array([80.0, -5.0]),
                spec=parse_marker_spec("green"),
                search=DotSearch(unmix_centre=unmix),
            )["green"]
            assert dots.count == 2
            errors[unmix].extend(np.hypot(*(dots.centres_px - np.array([psis, asis])).T))
    assert max(errors[True]) <= 0.3
    if crf == 20:
        assert np.mean(errors[True]) < 0.7 * np.mean(errors[False])


def test_the_smoother_keeps_a_true_tilt_change_and_never_fills_a_hidden_dot():
    from movelab.kinematics.markers import smooth_runs

    t = np.arange(90) / 30.0
    truth = 10.0 + 10.0 * np.sin(2 * np.pi * t / 3.0)  # the design sweeps: 0-20 deg over 3 s
    assert np.abs(smooth_runs(truth, window=5) - truth).max() < 0.05
    noisy = truth + np.random.default_rng(0).normal(0.0, 0.5, t.size)
    assert np.abs(smooth_runs(noisy, window=5) - truth).mean() < 0.6 * np.abs(noisy - truth).mean()
    step = np.array([0.0, 0.0, 0.0, np.nan, 10.0, 10.0, 10.0])
    np.testing.assert_array_equal(smooth_runs(step, window=5), step)  # nothing crosses the gap, NaN stays
    ramp = np.arange(6, dtype=float)
    np.testing.assert_allclose(smooth_runs(ramp, window=5), ramp)  # a run's ends keep a steady change


def test_marker_tilt_is_smoothed_within_measured_runs_only():
    tilt_deg = [10.0, 12.0, 10.0, 12.0, 10.0, 12.0, 10.0]
    frames = [_dots((100.0, 100.0), (130.0, 100.0 + 30 * math.tan(math.radians(a)))) for a in tilt_deg]
    frames[3] = Dots.empty(1)  # one sticker hidden
    ds = _dataset(frames, "green")
    raw = marker_pelvic_tilt(ds, "side_right").table
    assert np.isnan(raw["pelvic_tilt"].iloc[3])
    assert raw["pelvic_tilt"].iloc[1] == pytest.approx(np.mean(tilt_deg[:3]), abs=0.05)  # 3 frames at the run end
    assert raw["pelvic_tilt"].iloc[0] == pytest.approx(10.0, abs=0.01)
    assert raw["pelvic_tilt_raw"].iloc[1] == pytest.approx(12.0, abs=0.01)  # the per-frame dots' line is kept


def test_the_elliptic_window_measures_the_distance_beyond_the_dots_own_edge():
    """``DotSearch.elliptic_window`` (tried, off): a disc's edge distance is the distance from its centre less
    its radius; an ellipse of the same area four times as long as wide, long axis down the picture, has its
    edge 4 px below and 1 px beside its centre."""
    from movelab.pose.markers import _edge_distance

    dx, dy = np.array([3.0, 0.0, -2.0]), np.array([4.0, 2.0, 0.0])
    np.testing.assert_allclose(_edge_distance(dx, dy, 2.0, 1.0, 0.0), np.hypot(dx, dy) - 2.0)
    edge = _edge_distance(np.array([0.0, 1.0, 0.0]), np.array([4.0, 0.0, 6.0]), 2.0, 4.0, np.pi / 2)
    np.testing.assert_allclose(edge, [0.0, 0.0, 2.0], atol=1e-9)
