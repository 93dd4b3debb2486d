"""scripts/accuracy/angle_errors.py: ``--trunk-sources`` puts a landmark's offset from its true joint into the
trunk line's error it causes; ``--kept`` reads it with and without the trunk line's shift; ``--reuse`` needs
the folder of a previous run."""

from __future__ import annotations

import json

import numpy as np
import pytest

from movelab import landmarks
from movelab.kinematics import KinematicsConfig, compute_motion
from movelab.kinematics.stickfigure import stick_figure
from scripts.accuracy import angle_errors

FPS = 30.0


def _kept_clip(folder, *, far_shoulder_back_px: float) -> float:
    """A standing stick figure seen from its right (near) side, kept as ``folder/clip.nc`` with truth files
    that hold the figure's true points and angles, its far (left) shoulder's landmark moved back by
    ``far_shoulder_back_px``. Returns the true trunk length in pixels."""
    t = np.arange(45) / FPS
    ds = stick_figure(t, view="side_right")
    truth = compute_motion(ds).angles.reset_index(drop=True)
    names = ("left_shoulder", "right_shoulder", "left_hip", "right_hip")
    for name in names:
        xy = ds["position_px"].sel(keypoint=name).values
        truth[f"{name}_x_px"], truth[f"{name}_y_px"] = xy[:, 0], xy[:, 1]
    moved = ds.copy(deep=True)
    moved["position_px"].loc[{"keypoint": "left_shoulder", "space_2d": "x"}] -= far_shoulder_back_px
    landmarks.save(moved, folder / "clip.nc")
    truth.to_csv(folder / "clip.truth.csv", index=False)
    meta = {"near_side": "right", "view": "side_right", "parameters": {}}
    (folder / "clip.truth.json").write_text(json.dumps(meta))
    trunk = sum(
        sign * truth[[f"{side}_{stem}_x_px", f"{side}_{stem}_y_px"]].to_numpy()
        for sign, stem in ((0.5, "shoulder"), (-0.5, "hip"))
        for side in ("left", "right")
    )  # noqa: E501
    return float(np.linalg.norm(trunk, axis=1).mean())


def test_trunk_sources_names_the_moved_far_shoulder_and_its_share(tmp_path):
    length = _kept_clip(tmp_path, far_shoulder_back_px=8.0)
    row = angle_errors.trunk_sources(tmp_path).splitlines()[2]
    cells = [c.strip() for c in row.strip("|").split("|")]
    share = np.degrees(-8.0 / 2 / length)
    assert cells[0] == "clip"
    offsets = [float(c.split(" px")[0]) for c in cells[4:8]]  # near, far shoulder; near, far hip
    shares = [float(c.split(": ")[1].rstrip("°")) for c in cells[4:8]]
    assert offsets == pytest.approx([0.0, -8.0, 0.0, 0.0], abs=0.05)
    assert shares == pytest.approx([0.0, share, 0.0, 0.0], abs=0.05)
    mae, bias = (float(v) for v in cells[3].split(" (")[0].split(" / "))
    assert bias == pytest.approx(share, abs=0.15) and mae == pytest.approx(-share, abs=0.15)
    near_only = [float(v) for v in cells[8].split(" / ")]
    assert near_only == pytest.approx([0.0, 0.0], abs=0.05)  # the camera-side line does not see the far shoulder


def test_reuse_without_a_work_folder_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        angle_errors.main(["--reuse"])
    assert exit_.value.code == 2
    assert "--reuse needs --work" in capsys.readouterr().err


def _trunk_cell(table: str) -> tuple[float, float]:
    row = next(line for line in table.splitlines() if line.startswith("| clip |") and "frames" not in line)
    mae, bias = row.strip("|").split("|")[-1].split(" (")[0].split(" / ")
    return float(mae), float(bias)


def test_kept_tables_read_the_trunk_with_and_without_the_shift(tmp_path):
    """``--kept``: the far shoulder 4 px behind its joint tilts the midpoints' trunk line by its share; the
    default shift (cap 0.03 torso, above the 2 px the midpoint moves) takes it back."""
    length = _kept_clip(tmp_path, far_shoulder_back_px=4.0)
    meta = json.loads((tmp_path / "clip.truth.json").read_text())
    (tmp_path / "clip.truth.json").write_text(json.dumps({**meta, "motion": "squat"}))
    share = np.degrees(-4.0 / 2 / length)
    assert 2.0 < 0.03 * length
    midpoint = angle_errors.kept_tables(tmp_path, ["clip"], config=KinematicsConfig(side_view_shoulder_shift_max=0))
    shifted = angle_errors.kept_tables(tmp_path, ["clip"])
    assert _trunk_cell(midpoint)[1] == pytest.approx(share, abs=0.1) and share < -0.5
    assert _trunk_cell(shifted) == pytest.approx((0.0, 0.0), abs=0.1)
    assert "**squat**" in shifted and "**all side clips**" in shifted


def test_kept_tables_need_the_truth_files(tmp_path):
    with pytest.raises(SystemExit, match="expected clip.nc and its truth files"):
        angle_errors.kept_tables(tmp_path, ["clip"])
