"""Whether the client's face is seen in the picture: a view cue that does not depend on the pose model's labels.

Seen square from behind, the pose model may read the whole body as someone facing the camera (every left/right
label exchanged), and it then redraws the feet for the view it believes, so no landmark tells the two readings
apart (:mod:`movelab.kinematics.mirrors`). The pixels do: from the front the head shows eyes, brows and a mouth,
from behind only hair. Per frame in which the client looks frontal (shoulders spread across the picture,
:func:`movelab.pose.mirror.looks_frontal`), the head's square -- centred on the face landmarks, its side
``HEAD_BOX_TORSO`` torso lengths -- is scaled to ``HEAD_BOX_PX`` pixels and searched with OpenCV's frontal-face
Haar cascade (shipped with OpenCV, offline). The result is stored per frame as ``frontal_face``: 1 a face found,
0 none, NaN not looked (no client, side-on, or the head's square outside the picture). A few milliseconds a
frame (7-8 ms on the rendered 640 x 480 design clips with a face, under 2 ms without, on a shared 2-core machine;
the search is limited to faces of 24-64 px in the 96-px square, scale step 1.2).

Only the head's position comes from the landmarks, and with either reading of the labels the face landmarks lie
on the head: the cue is the same whichever way the model labels the body.
"""

from __future__ import annotations

import functools
import os

import numpy as np
import xarray as xr

from movelab.landmarks import KEYPOINTS
from movelab.pose.mirror import looks_frontal

__all__ = ["HEAD_BOX_TORSO", "HEAD_BOX_PX", "frontal_face", "frontal_face_array", "find_faces_again"]

#: Side of the head's square in torso lengths (the rendered heads are 0.3-0.4 torso lengths wide; with the margin
#: the whole face is inside when the face landmarks sit anywhere on the head).
HEAD_BOX_TORSO = 0.9
#: Side the head's square is scaled to before the search: the cascade's 24-px window then covers a face.
HEAD_BOX_PX = 96

_FACE = [KEYPOINTS.index(k) for k in KEYPOINTS[:11]]  # nose, eyes, ears, mouth
_SHOULDERS = [KEYPOINTS.index("left_shoulder"), KEYPOINTS.index("right_shoulder")]
_HIPS = [KEYPOINTS.index("left_hip"), KEYPOINTS.index("right_hip")]


@functools.cache
def _cascade():
    import cv2

    path = os.path.join(cv2.data.haarcascades, "haarcascade_frontalface_default.xml")
    cascade = cv2.CascadeClassifier(path)
    if cascade.empty():
        raise FileNotFoundError(f"OpenCV's frontal-face cascade could not be read from {path}")
    return cascade


def frontal_face(image_rgb: np.ndarray, xy_px: np.ndarray, *, min_share: float = 0.45) -> float:
    """1.0 when a frontal face is found in the head's square of one person, 0.0 when none, NaN when not looked.

    Parameters
    ----------
    image_rgb
        The frame, ``(height, width, 3)``.
    xy_px
        The person's ``(33, 2)`` landmarks in pixels of ``image_rgb``.
    min_share
        The frontal gate (:func:`movelab.pose.mirror.looks_frontal`): side-on people are not looked at.
    """
    import cv2

    xy_px = np.asarray(xy_px, dtype=np.float64)
    if not looks_frontal(xy_px, min_share=min_share):
        return float("nan")
    face = xy_px[_FACE]
    face = face[np.isfinite(face).all(axis=1)]
    torso_px = float(np.linalg.norm(xy_px[_SHOULDERS].mean(axis=0) - xy_px[_HIPS].mean(axis=0)))
    if not len(face) or not np.isfinite(torso_px) or torso_px <= 0:
        return float("nan")
    centre, half = face.mean(axis=0), HEAD_BOX_TORSO * torso_px / 2
    height, width = image_rgb.shape[:2]
    x0, y0 = int(max(centre[0] - half, 0)), int(max(centre[1] - half, 0))
    x1, y1 = int(min(centre[0] + half, width)), int(min(centre[1] + half, height))
    if x1 - x0 < half or y1 - y0 < half:  # most of the square outside the picture
        return float("nan")
    grey = cv2.cvtColor(np.ascontiguousarray(image_rgb[y0:y1, x0:x1]), cv2.COLOR_RGB2GRAY)
    scale = HEAD_BOX_PX / max(grey.shape)
    grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR)
    found = _cascade().detectMultiScale(grey, scaleFactor=1.2, minNeighbors=3, minSize=(24, 24), maxSize=(64, 64))
    return 1.0 if len(found) else 0.0


def frontal_face_array(values: np.ndarray, time: xr.DataArray | None = None) -> xr.DataArray:
    """The per-frame ``frontal_face`` variable of the landmark Dataset (on ``time`` when given)."""
    return xr.DataArray(
        np.asarray(values, dtype=np.float64),
        dims=("time",),
        coords=None if time is None else {"time": time},
        attrs={
            "description": "1 a frontal face found on the client's head (OpenCV Haar cascade), 0 none, "
            "NaN not looked (no client, side-on); see movelab.pose.face_cue",
        },
    )


def find_faces_again(ds: xr.Dataset, source: str | os.PathLike, *, min_share: float = 0.45) -> np.ndarray:
    """:func:`frontal_face` on each frame of the video ``source`` in which ``ds`` found the client, at the
    client's landmarks in ``ds`` (NaN for the other frames, ``ds``'s order): for landmarks kept before the cue
    existed. The video must be the one ``ds`` was extracted from."""
    from movelab.io.video import frames_at_rows

    px = ds["position_px"].values
    found = np.full(ds.sizes["time"], np.nan)
    for i, image in frames_at_rows(source, ds["frame"].values, ds["detected"].values):
        found[i] = frontal_face(image, px[i], min_share=min_share)
    return found
