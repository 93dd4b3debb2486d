"""The person outline moved onto the picture's edges (movelab.pose.outline_edges), on drawn pictures whose edges are
known and on a rendered figure."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from movelab.pose.mask_features import outline_from_mask
from movelab.pose.outline_edges import EDGE_RADIUS_PX, snap_outline_to_edges

LIGHT, DARK = 170.0, 40.0
WALL_BELOW_PX = 300  # the rendered figure's picture: the plain wall above this row, the floor from below it


def ellipse_picture(cx=160.0, cy=120.0, ax=50.0, ay=80.0, shape=(240, 320)):
    """A dark ellipse on a light ground, anti-aliased (each pixel's grey from 4x4 sub-samples), and its
    membership function."""
    h, w = shape
    sub = (np.arange(4) + 0.5) / 4 - 0.5
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    inside = np.zeros(shape)
    for dy in sub:
        for dx in sub:
            inside += (((xx + dx - cx) / ax) ** 2 + ((yy + dy - cy) / ay) ** 2 <= 1.0) / 16
    return LIGHT + (DARK - LIGHT) * inside, lambda x, y: ((x - cx) / ax) ** 2 + ((y - cy) / ay) ** 2


def ellipse_distance_px(points, ax=50.0, ay=80.0, cx=160.0, cy=120.0) -> np.ndarray:
    """Approximate distance of ``points`` from the ellipse's edge: the radial error at each point's angle."""
    dx, dy = points[:, 0] - cx, points[:, 1] - cy
    angle = np.arctan2(dy / ay, dx / ax)
    edge = np.column_stack([ax * np.cos(angle), ay * np.sin(angle)])
    return np.hypot(dx, dy) - np.hypot(edge[:, 0], edge[:, 1])


@pytest.mark.parametrize("grow_px", [-1.5, 2], ids=["mask inside", "mask outside"])
def test_a_mask_two_pixels_off_the_edge_is_moved_onto_it(grow_px):
    """The mask's ellipse drawn smaller or larger (its contour runs through its edge pixels' centres, another half
    pixel inside): the snapped points lie on the picture's edge."""
    picture, _ = ellipse_picture()
    mask_picture, _ = ellipse_picture(ax=50.0 + grow_px, ay=80.0 + grow_px)
    outline = outline_from_mask((LIGHT - mask_picture) / (LIGHT - DARK))
    before = np.abs(ellipse_distance_px(outline.astype(np.float64)))
    after = np.abs(ellipse_distance_px(snap_outline_to_edges(picture, outline).astype(np.float64)))
    assert np.median(before) > 1.0
    assert np.median(after) < 0.2 and np.percentile(after, 95) < 0.4


def legs_picture(gap_px: float, shape=(200, 200)):
    """Two dark upright bars (legs) 24 px wide either side of ``x = 100``, ``gap_px`` apart, on a light ground
    (pixel ``i`` centred on ``x = i``, each pixel's grey from the share of it a bar covers)."""
    h, w = shape
    x = np.arange(w, dtype=np.float64)

    def cover(a, b):
        return np.clip(np.minimum(x + 0.5, b) - np.maximum(x - 0.5, a), 0, 1)

    bars = cover(100 - gap_px / 2 - 24, 100 - gap_px / 2) + cover(100 + gap_px / 2, 100 + gap_px / 2 + 24)
    picture = np.tile(LIGHT + (DARK - LIGHT) * bars, (h, 1))
    picture[:20], picture[-20:] = LIGHT, LIGHT
    return picture


def test_the_near_side_of_a_narrow_gap_is_kept_not_the_far_one():
    """The mask widened the 3 px gap between the legs to 8 px: each inner edge goes back onto its own leg's edge,
    not across the gap onto the other leg's."""
    picture = legs_picture(3.0)
    mask = np.zeros_like(picture)
    mask[20:-20, 75:97] = 1.0  # the left leg (74.5-98.5 in the picture), its inner edge pixels' centres at 96
    mask[20:-20, 104:126] = 1.0  # the right leg (101.5-125.5), at 104
    mask[20:30, 90:110] = 1.0  # joined at the top, one outline
    outline = outline_from_mask(mask, n_points=1024)
    snapped = snap_outline_to_edges(picture, outline)
    inner = (np.abs(outline[:, 0] - 100) < 5) & (outline[:, 1] > 50) & (outline[:, 1] < 160)
    assert inner.sum() > 20
    for side, edge in ((-1, 98.5), (1, 101.5)):
        mine = inner & (np.sign(outline[:, 0] - 100) == side)
        np.testing.assert_allclose(snapped[mine, 0], edge, atol=0.3)


def test_points_without_a_clear_edge_stay_where_the_mask_put_them():
    picture = np.full((240, 320), 120.0)
    picture += np.random.default_rng(0).normal(0, 1.0, picture.shape)  # noise, no edge
    mask, _ = ellipse_picture()
    outline = outline_from_mask((LIGHT - mask) / (LIGHT - DARK))
    np.testing.assert_array_equal(snap_outline_to_edges(picture, outline), outline)


def test_no_point_moves_further_than_the_radius_and_missing_points_stay_missing():
    picture, _ = ellipse_picture()
    mask_picture, _ = ellipse_picture(ax=58.0, ay=88.0)  # 8 px outside: the edge is out of reach
    outline = outline_from_mask((LIGHT - mask_picture) / (LIGHT - DARK))
    outline[:10] = np.nan
    snapped = snap_outline_to_edges(picture, outline)
    assert np.isnan(snapped[:10]).all()
    moved = np.linalg.norm(snapped[10:] - outline[10:], axis=1)
    assert moved.max() <= EDGE_RADIUS_PX + 1e-4


def test_the_fppa_reads_the_snapped_outline_where_it_is_kept_else_the_masks():
    from movelab.errors import ConfigError
    from movelab.kinematics import KinematicsConfig
    from movelab.kinematics.angles import fppa_outline

    mask_outline = np.zeros((3, 4, 2), dtype=np.float32)
    edges = mask_outline + 1.0
    dims = ("time", "outline_point", "space_2d")
    both = xr.Dataset({"outline_px": (dims, mask_outline), "outline_edges_px": (dims, edges)})
    np.testing.assert_array_equal(fppa_outline(both, KinematicsConfig()), edges)
    np.testing.assert_array_equal(fppa_outline(both, KinematicsConfig(fppa_outline="mask")), mask_outline)
    np.testing.assert_array_equal(fppa_outline(both.drop_vars("outline_edges_px"), KinematicsConfig()), mask_outline)
    assert fppa_outline(xr.Dataset(), KinematicsConfig()) is None
    with pytest.raises(ConfigError, match="fppa_outline"):
        KinematicsConfig(fppa_outline="picture")


def test_the_backfill_snaps_a_kept_outline_onto_its_videos_frames(tmp_path):
    """A back-view figure rendered and kept with an outline 2 px outside its silhouette (as a wide mask draws it):
    the backfill adds ``outline_edges_px`` from the ``.mp4``, on the silhouette's edge (read where the figure stands
    against the plain wall, above the floor); a second run leaves it."""
    import cv2

    from movelab import landmarks
    from movelab.synth import render_clip, write_mp4
    from movelab.synth.motions import Posture
    from scripts.backfill_outline_edges import backfill

    clip = render_clip(Posture(duration_s=0.3), view="back", fps=10.0)
    frames = list(clip.iter_frames())
    write_mp4(iter(frames), tmp_path / "back.mp4", fps=clip.fps, crf=10)
    wall = np.asarray(frames[0][0, 0], dtype=np.float64)
    silhouettes = [np.abs(f.astype(np.float64) - wall).sum(axis=2) > 60 for f in frames]
    for silhouette in silhouettes:
        silhouette[WALL_BELOW_PX:] = False
    wide = [cv2.dilate(s.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(np.float64) for s in silhouettes]
    outline = np.stack([outline_from_mask(m) for m in wide])
    n = len(frames)
    ds = landmarks.from_arrays(
        time_s=np.arange(n) / clip.fps, position_px=np.full((n, 33, 2), 300.0), width_px=640, height_px=480
    )
    ds["outline_px"] = (("time", "outline_point", "space_2d"), outline)
    landmarks.save(ds.assign_attrs(source_sha256="x"), tmp_path / "back.nc")
    assert backfill(tmp_path / "back.nc")
    kept = landmarks.load(tmp_path / "back.nc")
    snapped = kept["outline_edges_px"].values

    def outside_px(points, silhouette):
        """Each point's distance from the nearest pixel of the figure (0 on it), where the figure stands against the
        wall."""
        distance = cv2.distanceTransform((~silhouette).astype(np.uint8), cv2.DIST_L2, 5)
        xy = np.clip(np.round(points).astype(int), 0, [639, 479])
        against_wall = xy[:, 1] < WALL_BELOW_PX - 10
        return distance[xy[against_wall, 1], xy[against_wall, 0]]

    before = np.concatenate([outside_px(outline[i], silhouettes[i]) for i in range(n)])
    after = np.concatenate([outside_px(snapped[i], silhouettes[i]) for i in range(n)])
    assert np.median(before) >= 2.0 and np.median(after) <= 1.0 and after.mean() < before.mean() - 1.0
    assert not backfill(tmp_path / "back.nc")
