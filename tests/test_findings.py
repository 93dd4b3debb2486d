"""Findings on synthetic angle tables with exact answers: each pattern at, below and above its threshold,
sides, notes for what cannot be assessed, configuration and the record itself."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pandas as pd
import pytest
from test_findings_helpers import REPS, angle_table, make_segmentation, squat_columns, squat_reps

from movelab.errors import ConfigError
from movelab.findings import CODES, Finding, FindingsConfig, Norm, Threshold, detect_findings
from movelab.findings.config import MethodError
from movelab.findings.supine import SUPINE_CODES
from movelab.report import describe_thresholds

STAND = {
    "knee_flexion_left": 0.0,
    "knee_flexion_right": 0.0,
    "thigh_angle_left": 0.0,
    "thigh_angle_right": 0.0,
    "trunk_lean": 0.0,
    "lumbar_lordosis": 25.0,
    "pelvic_tilt": 12.0,
}
#: A good deep squat: thigh below horizontal, trunk parallel to the shin (lean 30 = knee 120 - thigh 90).
GOOD = {
    "knee_flexion_left": 120.0,
    "knee_flexion_right": 120.0,
    "thigh_angle_left": 95.0,
    "thigh_angle_right": 95.0,
    "trunk_lean": 25.0,
    "lumbar_lordosis": 25.0,
    "pelvic_tilt": 30.0,
}


def flagged(findings, code=None):
    return [f for f in findings if f.severity != "info" and (code is None or f.code == code)]


def side_squat(**bottom) -> pd.DataFrame:
    """Two squats (0.5-2.5 s and 3.0-5.0 s, bottoms at 1.5 and 4.0 s) seen from the side; at the bottom the
    angles are GOOD's, changed by ``bottom``; standing between them."""
    values = {**GOOD, **bottom}
    return angle_table(5.5, squat_columns(STAND, values))


def front_squat(**bottom) -> pd.DataFrame:
    """The same two squats seen from the front: only frontal angles, standing at 0."""
    standing = {"knee_fppa_left": 0.0, "knee_fppa_right": 0.0, "pelvic_obliquity": 0.0}
    values = {**standing, **bottom}
    return angle_table(5.5, squat_columns(standing, values))


SQUAT = make_segmentation("squat", reps=squat_reps())


# ----------------------------------------------------------------------------- squats, side view


def test_good_side_squat_raises_nothing():
    assert flagged(detect_findings(side_squat(), SQUAT)) == []


def test_trunk_lean_beyond_the_shin_is_flagged_with_its_exact_value():
    # shin inclination at depth = knee flexion - thigh angle = 120 - 95 = 25; lean 45 -> 20 beyond
    (f,) = flagged(detect_findings(side_squat(trunk_lean=45.0), SQUAT), "excessive_trunk_lean")
    assert f.value == pytest.approx(20.0, abs=0.05)
    assert f.threshold == pytest.approx(7.1)  # sqrt(2) x 5: trunk and shin each measured with 5 deg of error
    assert f.severity == "moderate"  # 12.9 beyond the threshold: between one and two method errors
    assert f.occurrences == (0, 1) and f.n_assessed == 2
    assert (f.start_s, f.end_s) == (REPS[0][0], REPS[1][2])
    assert "Functional Movement Screen" in f.reference and "shins" in f.message


@pytest.mark.parametrize(("lean", "expected"), [(32.0, None), (32.2, "mild"), (39.5, "moderate"), (46.5, "marked")])
def test_trunk_lean_threshold_is_the_method_error(lean, expected):
    found = flagged(detect_findings(side_squat(trunk_lean=lean), SQUAT), "excessive_trunk_lean")
    assert [f.severity for f in found] == ([expected] if expected else [])


def test_limited_depth():
    (f,) = flagged(
        detect_findings(
            side_squat(
                thigh_angle_left=70.0,
                thigh_angle_right=70.0,
                knee_flexion_left=95.0,
                knee_flexion_right=95.0,
                trunk_lean=25.0,
            ),
            SQUAT,
        ),
        "limited_squat_depth",
    )
    assert f.value == pytest.approx(70.0, abs=0.05) and f.threshold == pytest.approx(85.0)
    assert "thigh" in f.message.lower()


def test_depth_just_above_horizontal_is_within_the_method_error():
    table = side_squat(thigh_angle_left=86.0, thigh_angle_right=86.0, knee_flexion_left=111.0, knee_flexion_right=111.0)
    assert flagged(detect_findings(table, SQUAT), "limited_squat_depth") == []


def test_lumbar_flexion_at_depth_from_the_lordosis():
    (f,) = flagged(detect_findings(side_squat(lumbar_lordosis=10.0), SQUAT), "lumbar_flexion_at_depth")
    squat_error_deg = MethodError().lumbar_loss_squat.value  # larger than the lordosis's standing error
    assert squat_error_deg > MethodError().lumbar_lordosis.value
    assert f.value == pytest.approx(15.0, abs=0.05) and f.threshold == pytest.approx(squat_error_deg)
    assert "butt wink" in f.message


def test_lumbar_loss_within_the_squats_method_error_is_not_flagged():
    table = side_squat(lumbar_lordosis=25.0 - MethodError().lumbar_loss_squat.value + 0.5)
    assert flagged(detect_findings(table, SQUAT), "lumbar_flexion_at_depth") == []


def test_lumbar_flexion_falls_back_to_the_pelvis_when_lordosis_is_not_measured():
    table = side_squat()
    table["lumbar_lordosis"] = np.nan
    # the pelvis tilts forward to 30 in the descent; make it lose 12 of that right at the bottom
    time = table.index.to_numpy()
    for _, b, _ in REPS:
        near = np.abs(time - b) <= 0.15
        table.loc[near, "pelvic_tilt"] = 18.0
    (f,) = flagged(detect_findings(table, SQUAT), "lumbar_flexion_at_depth")
    assert f.value == pytest.approx(12.0, abs=0.5)
    assert "pelvic tilt" in f.quantity


def test_heel_lift_from_the_segmentation_when_there_are_no_landmarks():
    reps = pd.DataFrame(squat_reps()).assign(heel_lift_deg=[12.0, 2.0])
    (f,) = flagged(detect_findings(side_squat(), make_segmentation("squat", reps=reps)), "heel_lift")
    assert f.value == pytest.approx(7.0)  # median of 12 and 2
    assert f.occurrences == (0,)


# ----------------------------------------------------------------------------- squats, front view


def test_knee_valgus_per_side():
    found = detect_findings(front_squat(knee_fppa_left=20.0, knee_fppa_right=4.0), SQUAT)
    (f,) = flagged(found, "knee_valgus")
    assert f.side == "left" and f.value == pytest.approx(20.0, abs=0.05) and f.threshold == pytest.approx(12.0)
    assert "left knee moved inward" in f.message
    (asym,) = flagged(found, "left_right_asymmetry")
    assert asym.side == "left" and asym.value == pytest.approx(16.0, abs=0.05)
    assert asym.threshold == pytest.approx(8.9)


@pytest.mark.parametrize(
    ("sex", "fppa", "raised"),
    [(None, 10.5, False), ("male", 12.5, True), ("female", 10.5, False), ("female", 15.5, True)],
)
def test_knee_valgus_norm_follows_sex(sex, fppa, raised):
    config = FindingsConfig(sex=sex)
    found = flagged(
        detect_findings(front_squat(knee_fppa_left=fppa, knee_fppa_right=fppa), SQUAT, config=config), "knee_valgus"
    )
    assert bool(found) is raised


@pytest.mark.parametrize(("sex", "fppa"), [(None, 13.0), (None, 14.6), ("male", 10.5)])
def test_knee_valgus_within_the_method_error_of_the_limit_is_a_note(sex, fppa):
    config = FindingsConfig(sex=sex)
    found = detect_findings(front_squat(knee_fppa_left=fppa, knee_fppa_right=4.0), SQUAT, config=config)
    assert not flagged(found, "knee_valgus")
    (note,) = [f for f in found if f.code == "knee_valgus"]
    assert note.severity == "info" and note.side == "left" and "within movelab's own measuring error" in note.message


def test_knee_valgus_past_the_limit_by_more_than_the_method_error_is_raised():
    margin = FindingsConfig().knee_valgus_margin.value
    (f,) = flagged(detect_findings(front_squat(knee_fppa_left=12.0 + margin + 0.2), SQUAT), "knee_valgus")
    assert f.side == "left" and f.threshold == pytest.approx(12.0)


def test_pelvic_drop_against_standing():
    # obliquity > 0: the left hip is higher, so the right side dropped
    (f,) = flagged(detect_findings(front_squat(pelvic_obliquity=8.0), SQUAT), "pelvic_drop")
    assert f.side == "right" and f.value == pytest.approx(8.0, abs=0.05) and f.threshold == pytest.approx(6.0)
    (g,) = flagged(detect_findings(front_squat(pelvic_obliquity=-8.0), SQUAT), "pelvic_drop")
    assert g.side == "left"
    assert flagged(detect_findings(front_squat(pelvic_obliquity=5.5), SQUAT), "pelvic_drop") == []  # below 6°


def test_mirror_swaps_sides():
    """Exchanging the left and right columns (and negating the obliquity) exchanges the findings' sides."""
    table = front_squat(knee_fppa_left=20.0, knee_fppa_right=4.0, pelvic_obliquity=8.0)
    mirror = table.rename(columns={"knee_fppa_left": "knee_fppa_right", "knee_fppa_right": "knee_fppa_left"})
    mirror["pelvic_obliquity"] = -mirror["pelvic_obliquity"]
    sides = {(f.code, f.side) for f in flagged(detect_findings(table, SQUAT))}
    swap = {"left": "right", "right": "left"}
    assert {(f.code, f.side) for f in flagged(detect_findings(mirror, SQUAT))} == {(c, swap[s]) for c, s in sides}


def test_front_view_notes_what_needs_a_side_view():
    notes = {f.code: f for f in detect_findings(front_squat(), SQUAT, views="front") if f.severity == "info"}
    assert {"excessive_trunk_lean", "limited_squat_depth", "lumbar_flexion_at_depth"} <= set(notes)
    assert "needs a side view" in notes["excessive_trunk_lean"].message
    assert "seen from the front" in notes["excessive_trunk_lean"].message
    assert all(n.value is None and n.threshold is None for n in notes.values())


def test_lunge_valgus_is_not_judged_but_noted():
    # the front knee's FPPA in rendered lunges read up to 38 deg off its projection (findings-accuracy.md)
    reps = pd.DataFrame(squat_reps()).assign(lead_leg="right")
    found = detect_findings(
        front_squat(knee_fppa_left=25.0, knee_fppa_right=25.0), make_segmentation("lunge", reps=reps)
    )
    assert not flagged(found, "knee_valgus")
    notes = [f for f in found if f.code == "knee_valgus"]
    assert len(notes) == 1 and notes[0].severity == "info" and "not judged in lunges" in notes[0].message


@pytest.mark.parametrize("merged", [True, False])
def test_knee_valgus_note_names_merged_knees(merged):
    """No FPPA at depth on either side: where kinematics marked the knees' outlines merged (Motion.knees_merged),
    the note says so instead of the generic "not measured reliably"."""
    from movelab.findings import detect
    from movelab.findings._context import build_context

    angles = front_squat(knee_fppa_left=math.nan, knee_fppa_right=math.nan)
    angles[["knee_fppa_left", "knee_fppa_right"]] = math.nan
    time = angles.index.to_numpy()
    at_depth = np.zeros(time.size, bool)
    for bottom in SQUAT.reps["bottom_s"]:
        at_depth |= np.abs(time - bottom) <= 0.2
    ctx = build_context(
        angles, SQUAT, views="front", positions=None, config=FindingsConfig(), knees_merged=at_depth & merged
    )
    (note,) = detect.knee_valgus(ctx)
    assert note.severity == "info"
    assert ("outlines merged" in note.message) is merged
    assert ("not measured reliably" in note.message) is not merged


# ----------------------------------------------------------------------------- standing posture


@pytest.mark.parametrize(("tilt", "raised"), [(20.0, False), (22.9, False), (23.0, False), (23.1, True), (28.0, True)])
def test_anterior_pelvic_tilt_against_the_norm(tilt, raised):
    found = detect_findings(
        angle_table(4.0, {"pelvic_tilt": tilt, "lumbar_lordosis": 25.0}), make_segmentation("posture")
    )
    hits = flagged(found, "anterior_pelvic_tilt")
    assert bool(hits) is raised
    if raised:
        assert hits[0].value == pytest.approx(tilt) and hits[0].threshold == pytest.approx(23.0)  # 13 + max(10, 9.5)
        assert "Preece" in hits[0].reference and "hip flexors" in hits[0].message


@pytest.mark.parametrize(
    ("sex", "lordosis", "raised"),
    [(None, 50.0, False), (None, 55.0, True), ("male", 40.0, True), ("female", 40.0, False)],
)
def test_lordosis_norm(sex, lordosis, raised):
    found = detect_findings(
        angle_table(4.0, {"pelvic_tilt": 12.0, "lumbar_lordosis": lordosis}),
        make_segmentation("posture"),
        config=FindingsConfig(sex=sex),
    )
    assert bool(flagged(found, "excessive_lumbar_lordosis")) is raised


def test_squat_standing_baseline_gives_the_posture_findings():
    table = side_squat()
    standing = ~np.any([(table.index >= a) & (table.index <= c) for a, _, c in REPS], axis=0)
    table.loc[standing, "pelvic_tilt"] = 27.0
    (f,) = flagged(detect_findings(table, SQUAT), "anterior_pelvic_tilt")
    assert f.value == pytest.approx(27.0) and "standing" in f.quantity


def test_unmeasured_tilt_is_a_note_never_a_number():
    table = angle_table(4.0, {})
    notes = detect_findings(table, make_segmentation("posture"))
    assert [n.code for n in notes] == ["anterior_pelvic_tilt", "excessive_lumbar_lordosis"]
    assert all(n.severity == "info" and n.value is None for n in notes)
    notes = detect_findings(table, make_segmentation("posture"), views="front")
    assert "could not be assessed" in notes[0].message and "seen from the front" in notes[0].message
    config = FindingsConfig(include_info=False)
    assert detect_findings(table, make_segmentation("posture"), config=config) == ()


# ----------------------------------------------------------------------------- gait


T = 1.0  # stride time of the synthetic walk


def gait_table(extension: float = 20.0, drop: float = 0.0, duration: float = 4.5) -> pd.DataFrame:
    """A walk with left initial contacts at 0, 1, 2, 3 s and right ones at 0.5, 1.5...: each thigh swings
    between 25° (flexed, at its initial contact) and -``extension`` half a stride later; the pelvis' right side
    drops by ``drop`` in left stance and the left side in right stance."""

    def thigh(offset):
        c, r = (25.0 - extension) / 2, (25.0 + extension) / 2
        return lambda t: c + r * np.cos(2 * np.pi * (t - offset) / T)

    return angle_table(
        duration,
        {
            "thigh_angle_left": thigh(0.0),
            "thigh_angle_right": thigh(0.5),
            "trunk_lean": 3.0,
            "pelvic_obliquity": lambda t: drop * np.sin(2 * np.pi * t / T),
        },
    )


def gait_segmentation(right_offset: float = 0.5):
    events, cycles = [], []
    for side, offset in (("left", 0.0), ("right", right_offset)):
        contacts = [offset + k * T for k in range(4)]
        events += [{"event": "initial_contact", "side": side, "time_s": t, "frame": round(t * 30)} for t in contacts]
        cycles += [
            {"side": side, "start_s": a, "end_s": b, "toe_off_s": a + 0.6 * T}
            for a, b in zip(contacts[:-1], contacts[1:])
        ]
    cycles = pd.DataFrame(cycles).sort_values("start_s").reset_index(drop=True)
    events = pd.DataFrame(events).sort_values("time_s").reset_index(drop=True)
    return make_segmentation("gait", events=events, cycles=cycles, gait={})


def test_normal_walk_raises_nothing():
    assert flagged(detect_findings(gait_table(20.0), gait_segmentation())) == []


def test_reduced_hip_extension_both_sides():
    found = flagged(detect_findings(gait_table(5.0), gait_segmentation()), "reduced_hip_extension")
    assert [f.side for f in found] == ["left", "right"]
    for f in found:
        assert f.value == pytest.approx(5.0, abs=0.01) and f.threshold == pytest.approx(12.4)
        assert "Kerrigan" in f.reference and "hip flexors" in f.message
        assert f.n_assessed == 3


def test_side_view_assesses_the_near_leg_only():
    """Facing image right, the client's right leg is nearer the camera; the far leg gets a note."""
    found = detect_findings(gait_table(5.0), gait_segmentation(), views="side_right")
    hits = flagged(found, "reduced_hip_extension")
    assert [f.side for f in hits] == ["right"]
    notes = [f for f in found if f.code == "reduced_hip_extension" and f.severity == "info"]
    assert notes and notes[0].side == "left" and "far side" in notes[0].message


def test_outline_angles_are_not_judged_while_walking():
    table = gait_table(20.0).assign(pelvic_tilt=30.0, lumbar_lordosis=60.0)
    found = detect_findings(table, gait_segmentation())
    notes = [f for f in found if f.code in ("anterior_pelvic_tilt", "excessive_lumbar_lordosis")]
    assert [f.severity for f in notes] == ["info", "info"] and "not validated during walking" in notes[0].message


def test_gait_pelvic_drop_names_the_dropping_side():
    found = flagged(detect_findings(gait_table(20.0, drop=9.0), gait_segmentation()), "pelvic_drop")
    assert {f.side for f in found} == {"left", "right"}
    right = next(f for f in found if f.side == "right")
    assert right.value == pytest.approx(9.0, rel=0.01)
    assert "standing on your left leg, the right side" in right.message
    assert flagged(detect_findings(gait_table(20.0, drop=4.0), gait_segmentation()), "pelvic_drop") == []


def test_step_time_asymmetry_from_the_events():
    # right contacts 0.4 s after left ones: left steps (right IC -> left IC) 0.6 s, right steps 0.4 s
    found = flagged(detect_findings(gait_table(20.0), gait_segmentation(0.4)), "left_right_asymmetry")
    (f,) = found
    assert f.side == "left" and f.unit == "%"
    assert f.value == pytest.approx(40.0) and f.threshold == pytest.approx(20.0)  # 4 x 0.05 s / 1 s stride
    # right contacts 0.45 s after left ones: 0.55 / 0.45 s, an index of 20 %: not beyond the event error
    assert flagged(detect_findings(gait_table(20.0), gait_segmentation(0.45)), "left_right_asymmetry") == []


def test_step_time_asymmetry_is_not_assessed_in_one_side_view():
    """The far foot's events err more in a side view (docs/findings.md): a note, not a finding."""
    found = detect_findings(gait_table(20.0), gait_segmentation(0.4), views="side_right")
    notes = [f for f in found if f.code == "left_right_asymmetry"]
    assert [n.severity for n in notes] == ["info"] and "side view" in notes[0].message
    assert flagged(detect_findings(gait_table(20.0), gait_segmentation(0.4), views="front"), "left_right_asymmetry")


# ----------------------------------------------------------------------------- every code can be raised


def test_every_code_is_raised_by_some_table():
    raised = set()
    for table, seg in [
        (side_squat(trunk_lean=70.0, thigh_angle_left=70.0, thigh_angle_right=70.0, lumbar_lordosis=5.0), SQUAT),
        (front_squat(knee_fppa_left=25.0, pelvic_obliquity=9.0), SQUAT),
        (side_squat(), make_segmentation("squat", reps=pd.DataFrame(squat_reps()).assign(heel_lift_deg=15.0))),
        (angle_table(4.0, {"pelvic_tilt": 30.0, "lumbar_lordosis": 58.0}), make_segmentation("posture")),
        (gait_table(5.0, drop=9.0), gait_segmentation(0.4)),
    ]:
        raised |= {f.code for f in flagged(detect_findings(table, seg))}
    # the supine tests' codes come from a Motion's positions, not an angle table: tests/test_supine.py
    assert raised == set(CODES) - set(SUPINE_CODES)


# ----------------------------------------------------------------------------- inputs, config, the record


def test_unknown_movement_or_none_gives_nothing():
    assert detect_findings(side_squat(), None) == ()
    assert detect_findings(side_squat(), make_segmentation("unknown")) == ()


@pytest.mark.parametrize(
    ("angles", "segmentation", "match"),
    [
        ("not a table", SQUAT, "angle table"),
        (pd.DataFrame({"knee": [1.0]}), SQUAT, "time_s"),
        (angle_table(1.0, {}), make_segmentation("dance"), "movement must be one of"),
        (angle_table(1.0, {}), make_segmentation("squat", reps=[{"start_s": 0.1}]), "missing"),
    ],
)
def test_bad_inputs_say_what_was_expected(angles, segmentation, match):
    with pytest.raises(ConfigError, match=match):
        detect_findings(angles, segmentation)


def test_config_must_be_a_findings_config():
    with pytest.raises(ConfigError, match="FindingsConfig"):
        detect_findings(side_squat(), SQUAT, config={"n_sd": 2})


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: Threshold(5.0, ""), "source"),
        (lambda: Threshold(math.nan, "x"), "finite"),
        (lambda: Norm(10.0, -1.0, "x"), "positive SD"),
        (lambda: FindingsConfig(sex="other"), "sex"),
        (lambda: FindingsConfig(min_valid_fraction=0.0), "min_valid_fraction"),
    ],
)
def test_bad_settings_are_refused(make, match):
    with pytest.raises(ConfigError, match=match):
        make()


def test_every_threshold_carries_a_source():
    described = describe_thresholds(FindingsConfig())
    assert len(described) >= 20
    assert all(item["source"] and len(item["source"]) > 10 for item in described)


def test_thresholds_are_configurable():
    config = dataclasses.replace(FindingsConfig(), trunk_beyond_tibia=Threshold(25.0, "my clinic's rule"))
    (f,) = flagged(detect_findings(side_squat(trunk_lean=58.0), SQUAT, config=config), "excessive_trunk_lean")
    assert f.threshold == pytest.approx(32.1) and "my clinic's rule" in f.reference
    assert flagged(detect_findings(side_squat(trunk_lean=56.0), SQUAT, config=config), "excessive_trunk_lean") == []


def test_finding_record_round_trips_through_json():
    (f,) = flagged(detect_findings(side_squat(trunk_lean=45.0), SQUAT), "excessive_trunk_lean")
    text = json.dumps(f.to_dict(), allow_nan=False)
    back = Finding.from_dict(json.loads(text))
    assert back.code == f.code and back.value == pytest.approx(f.value, abs=0.05) and back.occurrences == f.occurrences


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("code", "bad_back", "unknown finding code"),
        ("severity", "severe", "severity"),
        ("side", "both", "side"),
        ("value", math.nan, "finite"),
    ],
)
def test_finding_refuses_bad_fields(field, value, match):
    fields = dict(
        code="knee_valgus",
        severity="mild",
        side="left",
        start_s=0.0,
        end_s=1.0,
        value=14.0,
        threshold=12.0,
        reference="r",
        message="m",
    )
    fields[field] = value
    with pytest.raises(ConfigError, match=match):
        Finding(**fields)
