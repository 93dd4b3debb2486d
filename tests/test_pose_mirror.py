"""The hips' (and wrists') heights averaged with the mirror image's reading (movelab.pose.mirror). Synthetic
candidates with exact answers; no pose model."""

from __future__ import annotations

import numpy as np
import pytest

from movelab.landmarks import KEYPOINTS
from movelab.pose.landmarker import Candidate
from movelab.pose.mirror import mirror_averaged_heights, mirrored_image

LEFT_HIP, RIGHT_HIP = KEYPOINTS.index("left_hip"), KEYPOINTS.index("right_hip")
LEFT_SHOULDER, RIGHT_SHOULDER = KEYPOINTS.index("left_shoulder"), KEYPOINTS.index("right_shoulder")
LEFT_WRIST, RIGHT_WRIST = KEYPOINTS.index("left_wrist"), KEYPOINTS.index("right_wrist")


def _person(
    centre_x: float,
    *,
    left_hip_y: float = 0.5,
    right_hip_y: float = 0.5,
    back: bool = True,
    left_wrist_y: float = 0.47,
    right_wrist_y: float = 0.47,
) -> Candidate:
    """A person seen square from behind (the left hip on the image's left) or the front, hips 0.06 apart,
    shoulders 0.2 above them, hands on the hips (wrists 0.1 apart); the other landmarks at the hips' midpoint."""
    side = -1.0 if back else 1.0
    norm = np.zeros((len(KEYPOINTS), 3))
    norm[:, :2] = centre_x, 0.5
    norm[LEFT_HIP, :2] = centre_x + side * 0.03, left_hip_y
    norm[RIGHT_HIP, :2] = centre_x - side * 0.03, right_hip_y
    norm[LEFT_SHOULDER, :2] = centre_x + side * 0.05, 0.3
    norm[RIGHT_SHOULDER, :2] = centre_x - side * 0.05, 0.3
    norm[LEFT_WRIST, :2] = centre_x + side * 0.05, left_wrist_y
    norm[RIGHT_WRIST, :2] = centre_x - side * 0.05, right_wrist_y
    n = len(KEYPOINTS)
    return Candidate(norm=norm, world_m=np.zeros((n, 3)), visibility=np.ones(n), presence=np.ones(n))


def _mirror_of(person: Candidate, *, image_right_low: float = 0.0, wrist_right_low: float = 0.0) -> Candidate:
    """What a pose model finds in the mirror image of ``person``: x -> 1 - x, the sides' labels exchanged (the
    mirrored figure's left hip is the filmed right one), plus ``image_right_low`` on the hip at the image's right
    and ``wrist_right_low`` on the wrist there."""
    norm = person.norm.copy()
    norm[:, 0] = 1.0 - norm[:, 0]
    for left, right in ((LEFT_HIP, RIGHT_HIP), (LEFT_SHOULDER, RIGHT_SHOULDER), (LEFT_WRIST, RIGHT_WRIST)):
        norm[[left, right]] = norm[[right, left]]
    for (left, right), low in (((LEFT_HIP, RIGHT_HIP), image_right_low), ((LEFT_WRIST, RIGHT_WRIST), wrist_right_low)):
        norm[left if norm[left, 0] > norm[right, 0] else right, 1] += low
    return Candidate(norm=norm, world_m=person.world_m, visibility=person.visibility, presence=person.presence)


@pytest.mark.parametrize("back", [True, False])
def test_an_error_that_keeps_to_the_image_s_right_cancels_and_a_real_tilt_stays(back):
    """The body's left hip 0.01 higher (a real obliquity); the model puts the hip on the image's right 0.004
    low in the picture and in its mirror image: the averaged hips keep 0.01 and lose the 0.004."""
    true = _person(0.5, left_hip_y=0.49, right_hip_y=0.50, back=back)
    on_right = RIGHT_HIP if back else LEFT_HIP
    filmed = _person(0.5, left_hip_y=0.49, right_hip_y=0.50, back=back)
    filmed.norm[on_right, 1] += 0.004
    [out] = mirror_averaged_heights([filmed], [_mirror_of(true, image_right_low=0.004)])
    np.testing.assert_allclose(out.norm[RIGHT_HIP, 1] - out.norm[LEFT_HIP, 1], 0.01)
    np.testing.assert_allclose(out.norm[[LEFT_HIP, RIGHT_HIP], 1].mean(), 0.495 + 0.002)
    others = [i for i in range(len(KEYPOINTS)) if i not in (LEFT_HIP, RIGHT_HIP)]
    np.testing.assert_array_equal(out.norm[others], filmed.norm[others])
    np.testing.assert_array_equal(out.norm[:, 0], filmed.norm[:, 0])


@pytest.mark.parametrize("back", [True, False])
def test_the_wrists_are_averaged_like_the_hips_when_asked(back):
    """Hands on the hips, the body's left side 0.012 higher at the wrists; the model puts the wrist on the image's
    right 0.005 low in both pictures: with ``parts=("hip", "wrist")`` the wrists keep 0.012 and lose the 0.005;
    with the hips alone they stay as filmed."""
    true = _person(0.5, left_wrist_y=0.464, right_wrist_y=0.476, back=back)
    filmed = _person(0.5, left_wrist_y=0.464, right_wrist_y=0.476, back=back)
    filmed.norm[RIGHT_WRIST if back else LEFT_WRIST, 1] += 0.005
    twin = _mirror_of(true, wrist_right_low=0.005)
    [both] = mirror_averaged_heights([filmed], [twin], parts=("hip", "wrist"))
    np.testing.assert_allclose(both.norm[RIGHT_WRIST, 1] - both.norm[LEFT_WRIST, 1], 0.012)
    np.testing.assert_allclose(both.norm[[LEFT_WRIST, RIGHT_WRIST], 0], filmed.norm[[LEFT_WRIST, RIGHT_WRIST], 0])
    [hips] = mirror_averaged_heights([filmed], [twin])
    np.testing.assert_array_equal(hips.norm[[LEFT_WRIST, RIGHT_WRIST]], filmed.norm[[LEFT_WRIST, RIGHT_WRIST]])


def test_an_unknown_part_is_refused():
    with pytest.raises(ValueError, match="parts must be among hip, wrist, got knee"):
        mirror_averaged_heights([_person(0.5)], [], parts=("hip", "knee"))


def test_each_person_is_averaged_with_their_own_mirror_twin():
    client, other = _person(0.3, right_hip_y=0.52), _person(0.75, left_hip_y=0.46)
    mirrored = [_mirror_of(other), _mirror_of(client)]  # the mirror image's order is its own
    out = mirror_averaged_heights([client, other], mirrored)
    np.testing.assert_allclose(out[0].norm[[LEFT_HIP, RIGHT_HIP], 1], [0.5, 0.52])
    np.testing.assert_allclose(out[1].norm[[LEFT_HIP, RIGHT_HIP], 1], [0.46, 0.5])


def test_a_person_the_mirror_image_lacks_keeps_the_hips_as_found():
    filmed = _person(0.3, right_hip_y=0.52)
    far = _mirror_of(_person(0.8))  # someone else: un-mirrored 0.5 from the filmed person's hips
    assert mirror_averaged_heights([filmed], [far]) == [filmed]
    assert mirror_averaged_heights([filmed], []) == [filmed]


def test_mirrored_image_flips_columns():
    image = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    out = mirrored_image(image)
    np.testing.assert_array_equal(out[:, 0], image[:, 2])
    assert out.flags["C_CONTIGUOUS"]
