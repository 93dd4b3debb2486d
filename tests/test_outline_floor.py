"""The hip landmark's height taken from the soles while the legs stand straight (issue 13, both facing directions).

MediaPipe's hip landmark rises along the body as the pelvis tilts forward, by a rate that differs between bodies
and with the facing direction (a body's mirror image reads differently); the sacral chord's levels are heights
above it, so the rise flattens the tilt sweep. With the legs straight the hip joint keeps its height above the
floor, which the outline's lowest point shows: the outline method sets the hip there, unless the heels have
risen (a heel raise: the toes keep the lowest point on the floor while the hip rises). Drawn outlines and the
stick figure (no pose model).

Fast: pure geometry and the stick figure, no pose model.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import xarray as xr
from test_outline_registration import TORSO_PX, drawn_clip, silhouette, to_image

from movelab.kinematics import KinematicsConfig, outline_estimates
from movelab.kinematics.outline import _floor_anchored_hip
from movelab.kinematics.stickfigure import stick_figure

#: offsets and gains off: the estimate is the drawn sacral chord's fixed point, comparable across hip landmarks
PLAIN = KinematicsConfig(
    outline_tilt_offset_deg=0.0,
    outline_tilt_population_shift_deg=0.0,
    outline_lordosis_offset_deg=0.0,
    outline_tilt_gain=1.0,
    outline_lordosis_sacral_gain=1.0,
)


def tilt_sweep_dataset(tilts: np.ndarray, rise_per_deg: float, *, view: str = "side_right") -> xr.Dataset:
    """The stick figure standing still while its drawn pelvis tilts through ``tilts`` (degrees), the outline
    (soles 1.9 torso lengths below the hip joint) drawn about the true hip joint, the hip landmark rising by
    ``rise_per_deg`` torso lengths per degree of tilt above 11 (as MediaPipe's does); no elbows or wrists."""
    n = tilts.size
    ds = stick_figure(np.arange(n) / 30.0, view=view)
    facing = 1.0 if view == "side_right" else -1.0
    pos = ds["position_px"].transpose("time", "keypoint", ...).values.copy()
    names = list(ds["keypoint"].values)
    hips = [names.index("left_hip"), names.index("right_hip")]
    true_hip = pos[:, hips].mean(axis=1)
    outlines = np.stack(
        [to_image(silhouette(tilt_deg=t), hip_px=true_hip[i], facing=facing, n=512) for i, t in enumerate(tilts)]
    )
    pos[:, hips, 1] -= (rise_per_deg * (tilts - 11.0) * TORSO_PX)[:, None]
    return drawn_clip(ds, pos, outlines)


def _sweep_slope(rise_per_deg: float, config: KinematicsConfig, view: str) -> float:
    tilts = 10.0 + 10.0 * np.sin(2 * np.pi * np.arange(90) / 90.0)
    table = outline_estimates(tilt_sweep_dataset(tilts, rise_per_deg, view=view), views=view, config=config)
    tilt = table["pelvic_tilt"].to_numpy()
    ok = np.isfinite(tilt)
    assert ok.mean() > 0.9
    return float(np.polyfit(tilts[ok], tilt[ok], 1)[0])


@pytest.mark.parametrize("view", ["side_right", "side_left"])
def test_a_hip_landmark_rising_with_the_tilt_does_not_flatten_the_tilt_sweep(view):
    """The landmark rises 0.004 torso lengths per degree of tilt (design4's mirror image: 0.0042): from the
    floor the sweep reads as with a landmark at the joint; from the landmark it reads flatter by over 0.1."""
    exact = _sweep_slope(0.0, PLAIN, view)
    anchored = _sweep_slope(0.004, PLAIN, view)
    landmark = _sweep_slope(0.004, dataclasses.replace(PLAIN, outline_hip_from_floor=False), view)
    assert anchored == pytest.approx(exact, abs=0.02)
    assert exact - landmark > 0.1


def _frames(n: int, *, hip_y: float = 300.0, floor_y: float = 600.0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` frames of a square outline whose lowest point is ``floor_y``, and a hip landmark at ``hip_y``."""
    square = np.array([[100.0, floor_y - 400.0], [200.0, floor_y - 400.0], [200.0, floor_y], [100.0, floor_y]])
    outline = np.repeat(square[None], n, axis=0)
    hip = np.tile([150.0, hip_y], (n, 1))
    return outline, hip


def test_the_hip_is_set_to_its_standing_height_above_the_soles():
    """Ten frames with the landmark at 300 px and the soles at 600 px, then five with the landmark risen 12 px:
    those are put back to 300; with the legs half bent (weight 0.5) half way; x never changes."""
    outline, hip = _frames(15)
    hip[10:, 1] -= 12.0
    legs = np.ones(15)
    legs[14] = 0.5
    out = _floor_anchored_hip(outline, hip, legs, np.zeros(15), config=KinematicsConfig(), height_px=720)
    np.testing.assert_allclose(out[:14, 1], 300.0)
    assert out[14, 1] == pytest.approx(294.0)
    np.testing.assert_array_equal(out[:, 0], hip[:, 0])


@pytest.mark.parametrize(
    "case",
    ["soles cut off by the picture's edge", "knees bent", "no outline", "too few upright frames"],
)
def test_the_hip_landmark_is_kept_where_the_soles_cannot_anchor_it(case):
    """The landmark as the pose model put it when the outline reaches the bottom edge (the feet are not seen),
    the legs are bent (weight 0), the outline is missing, or fewer than outline_registration_min_frames
    frames stand upright with straight legs to measure the hip's height above the soles."""
    outline, hip = _frames(10, floor_y=719.0 if case.startswith("soles") else 600.0)
    hip[5:, 1] -= 12.0
    legs = np.zeros(10) if case == "knees bent" else np.ones(10)
    lean = np.zeros(10)
    if case == "no outline":
        outline[:] = np.nan
    if case == "too few upright frames":
        lean[:] = 20.0
        lean[:4] = 0.0
    out = _floor_anchored_hip(outline, hip, legs, lean, config=KinematicsConfig(), height_px=720)
    np.testing.assert_array_equal(out, hip)


# ----------------------------------------------------------------------------- heel raise: the floor lets go

#: the heel raise's height at its top, torso lengths (12 px, 4 cm on a 0.5 m torso)
RAISE = 0.08


def heel_raise_dataset(n: int = 90, *, top: float = RAISE, view: str = "side_right") -> tuple[xr.Dataset, np.ndarray]:
    """The stick figure standing with its pelvis still (tilt 11 deg) while it rises onto its toes over frames
    30-60 (a smooth bump up to ``top`` torso lengths): every keypoint but the toes and the whole outline but
    its toe point rise with it, so the outline's lowest point stays on the floor. Returns the Dataset and the
    rise per frame (torso lengths)."""
    t = np.arange(n)
    rise = np.where((t >= 30) & (t <= 60), top * np.sin(np.pi * np.clip((t - 30) / 30.0, 0.0, 1.0)) ** 2, 0.0)
    ds = stick_figure(t / 30.0, view=view)
    facing = 1.0 if view == "side_right" else -1.0
    pos = ds["position_px"].transpose("time", "keypoint", ...).values.copy()
    names = list(ds["keypoint"].values)
    hips = [names.index("left_hip"), names.index("right_hip")]
    true_hip = pos[:, hips].mean(axis=1)
    toes = [names.index(f"{s}_foot_index") for s in ("left", "right")]
    body = [k for k in range(len(names)) if k not in toes]
    pos[:, body, 1] -= (rise * TORSO_PX)[:, None]
    outlines = []
    for i in range(n):
        points = silhouette(tilt_deg=11.0)
        toe = np.isclose(points[:, 0], 0.30) & np.isclose(points[:, 1], -1.90)
        points[~toe, 1] += rise[i]  # the body rises about the toe, which stays on the floor
        outlines.append(to_image(points, hip_px=true_hip[i], facing=facing, n=512))
    return drawn_clip(ds, pos, np.stack(outlines)), rise


@pytest.mark.parametrize("view", ["side_right", "side_left"])
def test_a_heel_raise_with_the_pelvis_still_does_not_move_the_tilt(view):
    """Rising 4 cm onto the toes with the pelvis still: past the guard's upper limit (0.06 torso lengths) the
    anchor has let go and the tilt is the landmark hip's (within the time filter's 0.1 deg), at its standing
    value; in the fade (0.03-0.06) it moves smoothly (under 1 deg a frame at 0.01 torso lengths of rise a
    frame) and by at most half of what the floor-held hip gives, which sits 12 px too low at the top and
    moves the tilt by over 4 deg. Standing away from the raise: as without the guard."""
    ds, rise = heel_raise_dataset(view=view)

    def tilt_with(**changes) -> np.ndarray:
        table = outline_estimates(ds, views=view, config=dataclasses.replace(PLAIN, **changes))
        return table["pelvic_tilt"].to_numpy()

    tilt = tilt_with()
    held = tilt_with(outline_floor_heel_rise_limits=None)
    landmark = tilt_with(outline_hip_from_floor=False)
    assert np.isfinite(tilt).mean() > 0.9
    standing = float(np.nanmedian(tilt[rise == 0]))
    top = rise >= 0.07  # past the limit by more than the time filter's reach
    np.testing.assert_allclose(tilt[top], landmark[top], atol=0.1)
    assert np.nanmax(np.abs(tilt[top] - standing)) < 0.2
    assert np.nanmax(np.abs(held[top] - standing)) > 4.0
    assert np.nanmax(np.abs(tilt - standing)) < 0.5 * np.nanmax(np.abs(held - standing))
    assert np.nanmax(np.abs(np.diff(tilt))) < 1.0
    still = np.r_[0:20, 70:90]  # standing, beyond the time filter's reach of the raise: as without the guard
    np.testing.assert_allclose(tilt[still], held[still], atol=1e-9)


def test_the_heel_guard_fades_from_the_floor_to_the_landmark():
    """Ten frames standing, then the heels and the hip landmark rise 0.02, 0.045 and 0.08 torso lengths
    (limits 0.03-0.06) with the soles' lowest point on the floor: the first is held at the floor, the second
    half way, the third is the landmark."""
    outline, hip = _frames(13)
    rise_px = np.r_[np.zeros(10), 0.02, 0.045, 0.08] * TORSO_PX
    hip[:, 1] -= rise_px
    heels = np.tile([[120.0, 595.0], [130.0, 596.0]], (13, 1, 1))
    heels[:, :, 1] -= rise_px[:, None]
    out = _floor_anchored_hip(
        outline, hip, np.ones(13), np.zeros(13), config=KinematicsConfig(), height_px=720, heels_px=heels,
        torso_px=TORSO_PX,
    )  # fmt: skip
    np.testing.assert_allclose(out[:11, 1], 300.0)
    assert out[11, 1] == pytest.approx(0.5 * 300.0 + 0.5 * hip[11, 1])
    assert out[12, 1] == pytest.approx(hip[12, 1])


def test_heel_jitter_in_standing_leaves_the_anchor_as_it_was():
    """Standing with the heel landmarks jittering by 1.5 px (0.01 torso lengths) and one heel drifting up
    0.1 alone: the anchored hip is the same as without the guard (the two heels' smaller rise counts)."""
    rng = np.random.default_rng(0)
    outline, hip = _frames(40)
    hip[:, 1] += rng.normal(0.0, 3.0, 40)
    heels = np.tile([[120.0, 595.0], [130.0, 596.0]], (40, 1, 1)) + rng.uniform(-1.5, 1.5, (40, 2, 2))
    heels[20:25, 0, 1] -= 0.1 * TORSO_PX
    kwargs = dict(config=KinematicsConfig(), height_px=720, torso_px=TORSO_PX)
    guarded = _floor_anchored_hip(outline, hip, np.ones(40), np.zeros(40), heels_px=heels, **kwargs)
    plain = _floor_anchored_hip(outline, hip, np.ones(40), np.zeros(40), **kwargs)
    np.testing.assert_array_equal(guarded, plain)


# ----------------------------------------------------------------------------- the gluteal fold: a roll-free height


def _folded_frames(n: int, *, hip_above: float, fold_at: float = 196.0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` frames of a side-view outline facing +x (front at x = 200, soles at 600 px, head at 200 px):
    the back runs up the thigh at x = 120 and steps back to the buttock at x = 100 over 4 px of height ending
    at ``fold_at`` + 2 px above the soles (the fold's middle at ``fold_at``); the hip landmark ``hip_above``
    px above the soles."""
    low, high = 600.0 - (fold_at - 2.0), 600.0 - (fold_at + 2.0)
    polygon = np.array(
        [[200.0, 600.0], [120.0, 600.0], [120.0, low], [100.0, high], [100.0, 200.0], [200.0, 200.0]]
    )  # fmt: skip
    return np.repeat(polygon[None], n, axis=0), np.tile([150.0, 600.0 - hip_above], (n, 1))


def _anchored_above(hip_above: float, **changes) -> float:
    outline, hip = _folded_frames(10, hip_above=hip_above)
    config = dataclasses.replace(KinematicsConfig(), **changes)
    out = _floor_anchored_hip(
        outline, hip, np.ones(10), np.zeros(10), config=config, height_px=720, torso_px=100.0,
        facing=np.ones(10),
    )  # fmt: skip
    return float(600.0 - np.median(out[:, 1]))


def test_a_hip_landmark_placed_higher_moves_the_anchor_by_half_as_much():
    """The same outline (a fold 196 px above the soles, torso 100 px, so the fold says 196 + 15.1) with the
    hip landmark where the fold says and 5 px higher (MediaPipe on the same body filmed by a rolled camera):
    the anchor's height moves by 2.5 px with outline_floor_fold_weight 0.5, not 5 as with the landmark alone (the
    default, 0)."""
    at_fold = 196.0 + KinematicsConfig().outline_floor_fold_hip_above * 100.0
    assert _anchored_above(at_fold, outline_floor_fold_weight=0.5) == pytest.approx(at_fold, abs=1e-6)
    assert _anchored_above(at_fold + 5.0, outline_floor_fold_weight=0.5) == pytest.approx(at_fold + 2.5, abs=1e-6)
    assert _anchored_above(at_fold + 5.0) == pytest.approx(at_fold + 5.0)  # the default: the landmark alone
    assert _anchored_above(at_fold + 5.0, outline_floor_fold_weight=1.0) == pytest.approx(at_fold, abs=1e-6)


@pytest.mark.parametrize("case", ["no fold", "fold far from the landmark", "facing unknown"])
def test_the_landmark_alone_where_the_fold_cannot_be_trusted(case):
    """No step in the back outline (the square of the other tests: loose clothing), a fold whose height
    differs from the landmark's by more than outline_floor_fold_max_gap (0.06 torso lengths: 6 px here;
    10 px off), or no facing given: the anchor's height is the landmark's median, as before the fold."""
    if case == "no fold":
        outline, hip = _frames(10)
    else:
        above = 196.0 + KinematicsConfig().outline_floor_fold_hip_above * 100.0 + 10.0
        outline, hip = _folded_frames(10, hip_above=above)
    hip[5:, 1] -= 4.0
    facing = None if case == "facing unknown" else np.ones(10)
    config = dataclasses.replace(KinematicsConfig(), outline_floor_fold_weight=0.5)
    out = _floor_anchored_hip(
        outline, hip, np.ones(10), np.zeros(10), config=config, height_px=720, torso_px=100.0, facing=facing
    )
    old = _floor_anchored_hip(outline, hip, np.ones(10), np.zeros(10), config=config, height_px=720, torso_px=100.0)
    np.testing.assert_allclose(out, old)
    assert np.ptp(out[:, 1]) == 0.0
