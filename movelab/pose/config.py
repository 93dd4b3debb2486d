"""Settings of landmark extraction (video → landmarks), with their defaults in one place."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any, Literal

from movelab.errors import ConfigError
from movelab.pose.marker_spec import MARKER_DETECTOR_VERSION, parse_marker_spec

__all__ = ["ExtractConfig", "MIRROR_HIPS", "MirrorHips", "PersonChoice"]

#: How the user picks the client: ``None`` (automatic rule), an index into the automatic ranking
#: of the people in the first frame with someone in it, or an ``(x, y)`` point in that frame
#: (pixels of the upright picture).
PersonChoice = int | tuple[float, float] | None

#: Where the mirror pass for the hips runs (``ExtractConfig.mirror_hips``).
MirrorHips = Literal["off", "frontal", "all"]
MIRROR_HIPS: tuple[str, ...] = ("off", "frontal", "all")


@dataclass(frozen=True)
class ExtractConfig:
    """Settings of landmark extraction (video → landmarks).

    Attributes
    ----------
    model
        Path of a ``.task`` pose bundle, or ``None`` for the default full model (built on first use).
    num_poses
        People the model may return per frame. More than one is needed to tell the client from others
        (MediaPipe's single-pose tracker jumps to whoever it found first; see docs/pose.md).
    min_pose_detection_confidence, min_pose_presence_confidence, min_tracking_confidence
        MediaPipe's thresholds; 0.5 is MediaPipe's default.
    person
        Which person is the client, see :data:`PersonChoice`.
    outline
        Compute outline features from the person mask (needed for pelvic tilt and lumbar lordosis).
    outline_points
        Points the outline is resampled to (by arc length), about 3 px apart on a 480-px-tall person.
    outline_edges
        Also keep the outline moved onto the picture's own edges (``outline_edges_px``,
        :mod:`movelab.pose.outline_edges`), which the knee FPPA's leg outlines read (with ``outline``).
    max_frames
        Stop after this many frames (``None``: whole video).
    search_every_s
        ``None`` (default): look for other people on every frame (MediaPipe with ``num_poses``). A number:
        the sparse schedule of :mod:`movelab.pose.schedule`: every frame with ``num_poses`` while the client
        is chosen (the first 5 s with anyone in view), then one pose per frame and a look for others every
        that many seconds and on motion outside the person; with one person in view its pose loop costs
        about the one-pose loop's CPU instead of 1.7x. Not the default: after the window MediaPipe's
        one-pose landmarker smooths the landmarks (several poses it does not), and on the mannequin its
        arm landmarks gated more lordosis frames out (docs/pose-accuracy.md, Speed).
    max_image_side_px
        ``None`` (default): frames at full size. A number: frames larger than this (longer side, pixels)
        are scaled down by the decoder in the same pass (cheaper conversion and masks). Not the default:
        at 1280 the real two-person demo (1768x994) kept the walker as the client in 70.6 % of her frames
        instead of 100 % (tests/test_extract.py, ``95_percent``).
    max_track_jump
        Largest move of the client's hip centre between consecutive detections, as a fraction of the
        client's own torso height per 1/30 s, beyond which a candidate is not the same person.
    markers
        ASIS/PSIS skin stickers to find near the hip in each frame: ``None`` (off), ``"auto"``, a colour
        name of :data:`movelab.pose.marker_spec.MARKER_COLOURS` or ``"hsv:H,S,V:H,S,V"`` (see
        :func:`movelab.pose.marker_spec.parse_marker_spec`).
    mirror_hips
        ``"frontal"`` (default), ``"all"`` or ``"off"``: also run the pose model on a frame's mirror image and
        average each hip's height with its mirror twin's (:mod:`movelab.pose.mirror`). The model is not
        mirror-symmetric: on rendered back-view squats with a level pelvis its standing hips leaned 2.5-4.8°
        towards the image's right in the picture and in its mirror image alike, and the averaged hips read the
        level pelvis's change from standing within 1.2° instead of 4.8° (docs/findings-decisions.md, *Pelvic
        drop from behind*). ``"frontal"``: only on the frames of a video file where a person found looks
        frontal (facing the camera or turned away, see ``mirror_min_shoulder_share``), not on side views,
        where it costs without use; a live webcam never runs it (its frames are not waited for).
        ``"all"``: every frame of any source. ``"off"``: never. A front or back view costs about 1.7 times the
        extraction's CPU with it (a side view under ``"frontal"`` the same as without; docs/pose.md, *Mirror pass
        for the hips*). ``True``/``False`` are read as ``"all"``/``"off"``.
    mirror_wrists
        Whether the mirror pass averages the wrists' heights too (the hips' always). The wrists carry the
        pelvic obliquity when the hands rest on the hips (:mod:`movelab.kinematics.frontal_pelvis`), and the
        model errs on them as on the hips: on the rendered hands-on-hips design lunges filmed from behind the
        standing wrists' line leaned +1.3…+3.7° (the same in the mirror image), and 10° drops read 6.9-10.7°;
        with the wrists averaged, standing −0.6…0.0° and the drops 7.9-10.4° (front views: 8.7-11.0° →
        9.7-10.2°; ``scripts/accuracy/frontal_findings_accuracy.py``, docs/findings-decisions.md, *Pelvic drop
        lunges: the wrists' line against the mirror image*). Costs nothing more: the mirror image is read for the
        hips already.
    mirror_min_shoulder_share
        The frontal gate of ``mirror_hips="frontal"``: a person looks frontal when the shoulders' horizontal
        distance is at least this share of the torso length (shoulders' midpoint to hips' midpoint, pixels;
        :func:`movelab.pose.mirror.looks_frontal`). 0.45 lies in the gap between the design side views
        (21 clips, 2464 frames: at most 0.41, walking with the arms swinging) and the design front and back
        squats and lunges (153 clips, 17352 frames: 0.5th percentile 0.52): at 0.45 the gate passed none of
        the side frames and 99.6 % of the front/back ones (``python -m scripts.accuracy.mirror_gate_share
        --cache /work/main/.cache``; docs/pose-accuracy.md, *The mirror pass's frontal gate*).
    """

    model: str | None = None
    num_poses: int = 2
    min_pose_detection_confidence: float = 0.5
    min_pose_presence_confidence: float = 0.5
    min_tracking_confidence: float = 0.5
    person: PersonChoice = None
    outline: bool = True
    outline_points: int = 512
    outline_edges: bool = True
    max_frames: int | None = None
    max_track_jump: float = 0.6
    search_every_s: float | None = None
    max_image_side_px: int | None = None
    markers: str | None = None
    mirror_hips: MirrorHips = "frontal"
    mirror_wrists: bool = True
    mirror_min_shoulder_share: float = 0.45

    def __post_init__(self) -> None:
        if isinstance(self.mirror_hips, bool):  # the option's first form
            object.__setattr__(self, "mirror_hips", "all" if self.mirror_hips else "off")
        if self.mirror_hips not in MIRROR_HIPS:
            raise ConfigError(f"mirror_hips must be one of {', '.join(MIRROR_HIPS)}, got {self.mirror_hips!r}")
        for name in ("outline_edges", "mirror_wrists"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(f"{name} must be True or False, got {getattr(self, name)!r}")
        share = self.mirror_min_shoulder_share
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not share > 0 or share == float("inf"):
            raise ConfigError(f"mirror_min_shoulder_share must be a positive number, got {share!r}")
        if self.markers is not None:
            try:
                parse_marker_spec(self.markers)
            except ValueError as exc:
                raise ConfigError(str(exc)) from None

    def thresholds(self) -> dict[str, float]:
        """MediaPipe's confidence thresholds, as keyword arguments of :class:`movelab.pose.landmarker.PoseModel`
        (and of every landmarker an extraction with these settings runs)."""
        return dict(
            min_pose_detection_confidence=self.min_pose_detection_confidence,
            min_pose_presence_confidence=self.min_pose_presence_confidence,
            min_tracking_confidence=self.min_tracking_confidence,
        )

    def cache_key_fields(self) -> dict[str, Any]:
        """The settings that change the extracted landmarks (everything but ``model``, keyed apart;
        ``markers`` only when set, so landmarks cached before it existed keep their key, and then with the
        sticker detector's version; ``mirror_hips`` unless ``"off"``, as landmarks cached before it existed
        were read without it; the gate's share only with ``"frontal"``; ``mirror_wrists`` only when on with the
        pass on, as landmarks cached before it existed averaged the hips alone)."""
        data = dataclasses.asdict(self)
        data.pop("model")
        if data["mirror_hips"] != "frontal":
            data.pop("mirror_min_shoulder_share")
        if data["mirror_hips"] == "off" or not data["mirror_wrists"]:
            data.pop("mirror_wrists")
        if data["mirror_hips"] == "off":
            data.pop("mirror_hips")
        if data["markers"] is None:
            data.pop("markers")
        else:  # dots found by an older detector are found again
            data["marker_detector"] = MARKER_DETECTOR_VERSION
        return data

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)
