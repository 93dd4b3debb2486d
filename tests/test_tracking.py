"""The client tracker on synthetic detections with known identities (no video, no model)."""

from __future__ import annotations

import numpy as np
import pytest

from movelab.errors import ConfigError
from movelab.pose.tracking import ClientTracker, Detection

W, H = 1280, 720


def person(cx: float, height: float, *, ident: str, presence: float = 0.9) -> Detection:
    """A standing stick person with hip centre at ``(cx, 0.6 H)`` and body height ``height`` px.

    ``ident`` travels in the payload so a test can tell who was reported.
    """
    xy = np.zeros((33, 2))
    hip_y = 0.6 * H
    xy[:, 0] = cx
    xy[:, 1] = np.linspace(hip_y - 0.5 * height, hip_y + 0.45 * height, 33)
    xy[:11, 1] = hip_y - 0.5 * height  # face at the top
    xy[[11, 12], 1] = hip_y - 0.3 * height
    xy[[23, 24], 1] = hip_y
    xy[:, 0] += np.linspace(-0.1, 0.1, 33) * height
    return Detection(xy, np.full(33, presence), payload=ident)


def run(tracker: ClientTracker, frames: list[list[Detection]], fps: float = 30.0) -> list[str | None]:
    out = []
    for i, dets in enumerate(frames):
        out += [f.client.payload if f.client else None for f in tracker.update(i, i / fps, dets)]
    out += [f.client.payload if f.client else None for f in tracker.finish()]
    assert len(out) == len(frames)
    return out


def test_largest_central_person_is_the_client_and_is_kept():
    """A big walker crosses the picture while a small person stands in the background."""
    frames = [[person(200 + 8 * i, 500, ident="walker"), person(900, 200, ident="back")] for i in range(120)]
    assert run(ClientTracker(W, H), frames) == ["walker"] * 120


def test_client_missing_frames_stay_missing_not_filled_with_other():
    """The client vanishes for 10 frames (occlusion) while the other person stays in view."""
    frames = []
    for i in range(120):
        dets = [person(900, 200, ident="back")]
        if not 60 <= i < 70:
            dets.append(person(300 + 2 * i, 500, ident="walker"))
        frames.append(dets)
    out = run(ClientTracker(W, H), frames)
    assert out[60:70] == [None] * 10
    assert out[:60] == ["walker"] * 60 and out[70:] == ["walker"] * 50


def test_client_leaves_and_returns_other_never_adopted():
    """The client walks out (frames 60-89 empty of them) and walks back in from the same edge."""
    frames = []
    for i in range(150):
        dets = [person(1000, 220, ident="back")]
        if i < 60:
            dets.append(person(400 - 6 * i, 480, ident="walker"))
        elif i >= 90:
            dets.append(person(40 + 6 * (i - 90), 480, ident="walker"))
        frames.append(dets)
    out = run(ClientTracker(W, H), frames)
    assert set(out[60:90]) == {None}
    assert out[:60] == ["walker"] * 60
    assert out[90:] == ["walker"] * 60


def test_only_other_person_left_is_not_taken():
    """The client leaves for good; the background person must not become the client."""
    frames = [
        [person(1000, 220, ident="back")] + ([person(400, 480, ident="walker")] if i < 50 else []) for i in range(150)
    ]
    out = run(ClientTracker(W, H), frames)
    assert out[:50] == ["walker"] * 50 and set(out[50:]) == {None}


@pytest.mark.parametrize(
    "choice, expected", [(0, "big"), (1, "small"), ((900.0, 420.0), "small"), ((300.0, 400.0), "big")]
)
def test_user_choice_by_index_or_point(choice, expected):
    frames = [[person(300, 500, ident="big"), person(900, 250, ident="small")] for _ in range(90)]
    assert set(run(ClientTracker(W, H, person=choice), frames)) == {expected}


def test_person_index_out_of_range_is_a_config_error():
    frames = [[person(300, 500, ident="only")] for _ in range(90)]
    with pytest.raises(ConfigError, match=r"--person 3: only 1 people"):
        run(ClientTracker(W, H, person=3), frames)


def test_nobody_at_all_gives_all_missing():
    assert run(ClientTracker(W, H), [[] for _ in range(40)]) == [None] * 40


def test_late_entry_waits_for_the_window():
    """Nobody for 30 frames, then the client enters: the window starts at the first detection."""
    frames = [[] for _ in range(30)] + [[person(100 + 5 * i, 480, ident="walker")] for i in range(90)]
    out = run(ClientTracker(W, H), frames)
    assert out[:30] == [None] * 30 and out[30:] == ["walker"] * 90
