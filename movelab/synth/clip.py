"""A rendered clip: the motion sampled at the frame times, its camera, frames on demand, and its ground truth.

Files written by :meth:`SynthClip.write` for ``clip.mp4``:

* ``clip.mp4``: H.264, yuv420p, constant frame rate; frame ``i`` is shown at ``i / fps`` seconds.
* ``clip.truth.csv``: one row per frame: ``time_s``, ``frame``, every name of
  :data:`movelab.kinematics.conventions.ANGLE_NAMES` (degrees, as ``docs/conventions.md`` defines them, in the
  figure's own sagittal and frontal planes; NaN only where the motion leaves a plane undefined, e.g. frontal
  angles while lying supine), ``<landmark>_x_px`` / ``<landmark>_y_px`` for :data:`TRUTH_LANDMARKS` (the 3D
  joint centres projected by the clip's camera, upright image pixels), and ``contact_left`` /
  ``contact_right`` (1 when that foot bears on the floor).
* ``clip.truth.json``: the motion and its parameters, view, camera, fps, size, body, appearance,
  ``figure_left_on_image`` ("left", "right" or "n/a"), ``near_side`` (the side facing the camera in a side
  view), and ``events``: ``[{"event", "side", "time_s", "frame"}]``.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pandas as pd

from movelab.errors import ConfigError
from movelab.kinematics.conventions import ANGLE_NAMES, FRONTAL, SAGITTAL
from movelab.synth import realism as _realism
from movelab.synth.camera import VIEW_AZIMUTH_DEG, Camera, ViewName, camera_for_view, view_sides
from movelab.synth.motions import Motion, MotionSample
from movelab.synth.realism import Realism
from movelab.synth.render import Appearance, Prop, render_background, render_figure
from movelab.synth.skeleton import BodyProportions, Figure, forward_kinematics
from movelab.synth.truth import angles_from_points
from movelab.synth.video import reencode_mp4, write_mp4

__all__ = ["SynthClip", "render_clip", "TRUTH_LANDMARKS", "TRUTH_FORMAT_VERSION"]

TRUTH_FORMAT_VERSION = 1
#: MediaPipe landmark names whose image positions the truth file carries.
TRUTH_LANDMARKS: tuple[str, ...] = (
    "nose",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
#: Motions whose frontal-plane angles are undefined (a supine figure's legs project edge-on).
_NO_FRONTAL = ("thomas", "aslr")


@dataclass
class SynthClip:
    """A motion rendered by a camera: ground truth now, frames on demand.

    Attributes
    ----------
    motion : Motion
    camera : Camera
    view : str
    azimuth_deg : float
    fps : float
    body : BodyProportions
    appearance : Appearance
    samples : list of MotionSample
        The pose and foot contacts at each frame time ``i / fps``.
    figures : list of Figure
        Forward kinematics of each sample (world points).
    realism : Realism or None
        Phone-camera effects (:mod:`movelab.synth.realism`); None or ``Realism()`` renders the clean clip.
    """

    motion: Motion
    camera: Camera
    view: str
    azimuth_deg: float
    fps: float
    body: BodyProportions
    appearance: Appearance
    samples: list[MotionSample]
    figures: list[Figure]
    realism: Realism | None = None

    @property
    def _real(self) -> Realism | None:
        """The realism options, None when they are all off."""
        return None if self.realism is None or self.realism.is_default else self.realism

    @property
    def n_frames(self) -> int:
        return len(self.samples)

    @property
    def times_s(self) -> np.ndarray:
        return np.arange(self.n_frames) / self.fps

    def frame(self, index: int) -> np.ndarray:
        """Render frame ``index`` as RGB ``uint8`` ``(height_px, width_px, 3)``."""
        scene = self.motion.scene(self.body)
        if self._real is None:
            return render_figure(
                self.figures[index],
                self.camera,
                self.appearance,
                props=scene.props,
                floor_y_m=self.samples[index].floor_y_m,
            )
        return self._realistic_frame(index, scene.props + self._clutter())

    def _clutter(self) -> tuple[Prop, ...]:
        scene = self.motion.scene(self.body)
        boxes = _realism.clutter_boxes(
            self._real,
            camera_position_m=self.camera.position_m,
            look_at_m=self.camera.target_m,
            fit_width_m=scene.fit_width_m,
        )
        return tuple(Prop(c, s, rgb) for c, s, rgb in boxes)

    def _own_time(self, t_s: float, index: int) -> bool:
        """Whether the sub-frame time ``t_s`` is frame ``index``'s own time (its figure is then the frame's)."""
        return abs(t_s - index / self.fps) < 1e-9

    def _render_at(
        self, t_s: float, index: int, props: tuple[Prop, ...], *, background: np.ndarray | None = None
    ) -> np.ndarray:
        """The scene at ``t_s`` (the frame's own figure at its own time), shaken, as float32."""
        return self._shaken_render(t_s, index, props).astype(np.float32)

    def _shaken_render(
        self, t_s: float, index: int, props: tuple[Prop, ...], *, background: np.ndarray | None = None
    ) -> np.ndarray:
        """The scene at ``t_s``, shaken, ``uint8``; ``background``: :func:`render_background` of ``props``,
        drawn once for the clip."""
        real = self._real
        if self._own_time(t_s, index):
            fig, floor = self.figures[index], self.samples[index].floor_y_m
        else:
            sample = self.motion.sample(max(t_s, 0.0), self.body)
            fig, floor = forward_kinematics(sample.pose, self.body), sample.floor_y_m
        img = render_figure(
            fig,
            self.camera,
            self.appearance,
            props=props,
            floor_y_m=floor,
            clothing=real.clothing,
            background=background,
        )
        if real.shake_deg > 0 or real.shake_roll_deg > 0:
            cam = self.camera
            warp = _realism.shake_affine(
                real, t_s, focal_px=cam.focal_px, width_px=cam.width_px, height_px=cam.height_px
            )
            img = cv2.warpAffine(
                img, warp, (cam.width_px, cam.height_px), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT
            )
        return img

    def _realistic_frame(self, index: int, props: tuple[Prop, ...]) -> np.ndarray:
        """Sub-frame renders weighted per row (exposure, rolling shutter), then light, then noise.

        The straightforward way, one frame on its own; :meth:`_realistic_frames` gives the same pixels faster.
        """
        real, cam = self._real, self.camera
        t = index / self.fps
        times = _realism.subframe_times(real, t)
        weights = _realism.row_weights(real, times, t, cam.height_px).astype(np.float32)
        img = np.zeros((cam.height_px, cam.width_px, 3), np.float32)
        for k, t_k in enumerate(times):
            img += weights[k][:, None, None] * self._render_at(float(t_k), index, props)
        if real.light_gradient > 0 or real.vignette > 0:
            gain = _realism.light_gain(real, cam.width_px, cam.height_px, light_from=self.appearance.light_from)
            img *= gain[:, :, None].astype(np.float32)
        out = np.clip(np.rint(img), 0, 255).astype(np.uint8)
        if real.noise_sigma > 0:
            out = _realism.add_noise(out, real.noise_sigma, np.random.default_rng([real.seed, 31, index]))
        return out

    def _realistic_frames(self) -> Iterator[np.ndarray]:
        """Every realistic frame in order, pixel for pixel :meth:`_realistic_frame`'s, with less work.

        The background, floor and props are drawn once and the light gain computed once (neither moves: the
        shake warps the finished render). A sub-frame render is kept for the next frame, which uses it again
        when its time is the very same number (the next frame's first sub-frames are the last ones of this
        frame whenever the frame interval is a whole number of sub-frame steps, as with
        :meth:`Realism.phone` at 30 fps: 2 of 7; times that differ in the last bit are rendered again, so the
        pixels never depend on the order frames are asked for).
        """
        real, cam = self._real, self.camera
        props = self.motion.scene(self.body).props + self._clutter()
        background = render_background(cam, self.appearance, props=props)
        gain = None
        if real.light_gradient > 0 or real.vignette > 0:
            gain = _realism.light_gain(real, cam.width_px, cam.height_px, light_from=self.appearance.light_from)
            gain = gain[:, :, None].astype(np.float32)
        kept: dict[tuple[float, int], np.ndarray] = {}
        for index in range(self.n_frames):
            t = index / self.fps
            times = [float(t_k) for t_k in _realism.subframe_times(real, t)]
            weights = _realism.row_weights(real, np.array(times), t, cam.height_px).astype(np.float32)
            renders = {}
            img = np.zeros((cam.height_px, cam.width_px, 3), np.float32)
            for k, t_k in enumerate(times):
                key = (t_k, index if self._own_time(t_k, index) else -1)
                render = kept.get(key)
                if render is None:
                    render = self._shaken_render(t_k, index, props, background=background)
                renders[key] = render
                # rows of zero weight would add exactly 0; uint8 * float32 is the float32 product
                rows = np.flatnonzero(weights[k])
                if rows.size:
                    lo, hi = rows[0], rows[-1] + 1
                    img[lo:hi] += weights[k][lo:hi, None, None] * render[lo:hi]
            kept = renders
            if gain is not None:
                img *= gain
            np.rint(img, out=img)
            out = np.clip(img, 0, 255, out=img).astype(np.uint8)
            if real.noise_sigma > 0:
                out = _realism.add_noise(out, real.noise_sigma, np.random.default_rng([real.seed, 31, index]))
            yield out

    def iter_frames(self) -> Iterator[np.ndarray]:
        if self._real is not None:
            yield from self._realistic_frames()
            return
        for i in range(self.n_frames):
            yield self.frame(i)

    @property
    def truth(self) -> pd.DataFrame:
        """One row per frame: ``time_s``, ``frame``, every angle, landmark pixels and foot contacts."""
        rows = []
        for i, (fig, sample) in enumerate(zip(self.figures, self.samples)):
            row = {"time_s": i / self.fps, "frame": i}
            angles = angles_from_points(fig.points, fig.heading)
            if self.motion.name in _NO_FRONTAL:
                angles.update({name: math.nan for name in FRONTAL})
            row.update({name: angles[name] for name in ANGLE_NAMES})
            px = self._shaken(self.camera.project(np.array([fig.points[name] for name in TRUTH_LANDMARKS])), i)
            for name, (x, y) in zip(TRUTH_LANDMARKS, px):
                row[f"{name}_x_px"], row[f"{name}_y_px"] = float(x), float(y)
            row["contact_left"], row["contact_right"] = int(sample.contact_left), int(sample.contact_right)
            rows.append(row)
        return pd.DataFrame(rows)

    def _shaken(self, px: np.ndarray, index: int) -> np.ndarray:
        """Pixel positions moved by the shake at frame ``index``'s time (unchanged without shake)."""
        real = self._real
        if real is None or (real.shake_deg == 0 and real.shake_roll_deg == 0):
            return px
        cam = self.camera
        warp = _realism.shake_affine(
            real, index / self.fps, focal_px=cam.focal_px, width_px=cam.width_px, height_px=cam.height_px
        )
        return px @ warp[:, :2].T + warp[:, 2]

    def events(self) -> list[dict]:
        """The motion's events with their nearest frame: ``{"event", "side", "time_s", "frame"}``."""
        out = []
        for ev in self.motion.events(self.body):
            frame = int(min(max(round(ev.time_s * self.fps), 0), self.n_frames - 1))
            out.append({"event": ev.event, "side": ev.side, "time_s": round(ev.time_s, 6), "frame": frame})
        return out

    def meta(self) -> dict:
        """Everything of the truth file except the per-frame table."""
        left_on_image, near = view_sides(self.azimuth_deg)
        params = {f.name: getattr(self.motion, f.name) for f in dataclasses.fields(self.motion) if f.init}
        cam = self.camera
        return {
            "format_version": TRUTH_FORMAT_VERSION,
            "motion": self.motion.name,
            "parameters": params,
            "view": self.view,
            "azimuth_deg": self.azimuth_deg,
            "figure_left_on_image": left_on_image,
            "near_side": near,
            "fps": self.fps,
            "n_frames": self.n_frames,
            "duration_s": self.n_frames / self.fps,
            "width_px": cam.width_px,
            "height_px": cam.height_px,
            "camera": {
                "position_m": list(cam.position_m),
                "target_m": list(cam.target_m),
                "focal_px": cam.focal_px,
                **({"roll_deg": cam.roll_deg, "pitch_deg": cam.pitch_deg} if cam.roll_deg or cam.pitch_deg else {}),
            },
            "body": dataclasses.asdict(self.body),
            "appearance": dataclasses.asdict(self.appearance),
            "angles": {
                "sagittal": list(SAGITTAL),
                "frontal": list(FRONTAL),
                "defined_frontal": self.motion.name not in _NO_FRONTAL,
                "definitions": "docs/conventions.md; sagittal = (heading, up), frontal = (left, up)",
            },
            "events": self.events(),
        } | ({"realism": self._real.as_dict()} if self._real is not None else {})

    def write(self, path: str | Path, *, crf: int = 26) -> dict[str, Path]:
        """Write the video and its truth files beside it.

        Parameters
        ----------
        path : str or Path
            The ``.mp4`` to write; ``<stem>.truth.csv`` and ``<stem>.truth.json`` go next to it.
        crf : int
            x264 quality (lower = larger); unused when the clip's realism sets a phone bitrate.

        Returns
        -------
        dict
            ``{"video": ..., "truth_csv": ..., "truth_json": ...}`` paths.
        """
        path = Path(path)
        if path.suffix.lower() != ".mp4":
            raise ConfigError(f"the output must be an .mp4 file, got {str(path)!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        stem = path.with_suffix("")
        paths = {"video": path, "truth_csv": Path(f"{stem}.truth.csv"), "truth_json": Path(f"{stem}.truth.json")}
        real = self._real
        if real is None or real.bitrate_kbps is None:
            write_mp4(self.iter_frames(), path, fps=self.fps, crf=crf)
        else:
            write_mp4(self.iter_frames(), path, fps=self.fps, bitrate_kbps=real.bitrate_kbps)
            if real.reencode_kbps is not None:
                reencode_mp4(path, fps=self.fps, bitrate_kbps=real.reencode_kbps)
        self.truth.to_csv(paths["truth_csv"], index=False, float_format="%.4f")
        meta = self.meta()
        meta["files"] = {"video": path.name, "truth_csv": paths["truth_csv"].name}
        paths["truth_json"].write_text(json.dumps(meta, indent=2) + "\n")
        return paths


def render_clip(
    motion: Motion,
    *,
    view: ViewName = "side_right",
    azimuth_deg: float | None = None,
    width_px: int = 640,
    height_px: int = 480,
    fps: float = 30.0,
    distance_m: float | None = None,
    camera_height_m: float | None = None,
    body: BodyProportions | None = None,
    appearance: Appearance | None = None,
    duration_s: float | None = None,
    realism: Realism | None = None,
    camera_roll_deg: float = 0.0,
    camera_pitch_deg: float = 0.0,
) -> SynthClip:
    """Sample ``motion`` at ``i / fps`` and set up a camera; frames render lazily.

    Parameters
    ----------
    motion : Motion
        ``Squat``, ``Lunge``, ``Gait``, ``Posture`` or ``ThomasTest`` (:mod:`movelab.synth.motions`).
    view : {"side_left", "side_right", "front", "back", "oblique"}
    azimuth_deg : float, optional
        Camera direction seen from the figure, from its facing direction towards its right; overrides ``view``.
    width_px, height_px : int
        Image size (even numbers).
    fps : float
    distance_m : float, optional
        Camera distance; default 4.5 m (7 m for overground gait, so the walk is seen nearly square on).
    camera_height_m : float, optional
        Default: level with the point looked at (a pure side view has no tilt).
    body : BodyProportions, optional
    appearance : Appearance, optional
    duration_s : float, optional
        Default: the motion's own duration.
    realism : Realism, optional
        Phone-camera effects (:mod:`movelab.synth.realism`); default none: the clean mannequin clip.
    camera_roll_deg, camera_pitch_deg : float
        A hand-held camera's roll about its line of sight and extra pitch (:class:`movelab.synth.camera.Camera`;
        positive roll turns the scene clockwise on screen). 0: level, as every earlier table. The truth
        angles stay in the figure's own planes (world); the truth landmark pixels follow the camera.

    Returns
    -------
    SynthClip
    """
    if view not in VIEW_AZIMUTH_DEG:
        raise ConfigError(f"view must be one of {sorted(VIEW_AZIMUTH_DEG)}, got {view!r}")
    if not 1.0 <= fps <= 240.0:
        raise ConfigError(f"fps must be in [1, 240], got {fps!r}")
    body = body or BodyProportions()
    appearance = appearance or Appearance()
    scene = motion.scene(body)
    if distance_m is None:
        distance_m = 7.0 if getattr(motion, "name", "") == "gait" and not getattr(motion, "treadmill", True) else 4.5
    heading = float(getattr(motion, "heading_deg", 0.0))
    camera = camera_for_view(
        view,
        azimuth_deg=azimuth_deg,
        heading_deg=heading,
        distance_m=distance_m,
        camera_height_m=scene.look_at_m[1] if camera_height_m is None else camera_height_m,
        look_at_m=scene.look_at_m,
        width_px=width_px,
        height_px=height_px,
        fit_width_m=scene.fit_width_m,
        fit_height_m=scene.fit_height_m,
        roll_deg=camera_roll_deg,
        pitch_deg=camera_pitch_deg,
    )
    duration = motion.duration_s if duration_s is None else float(duration_s)
    if not duration > 0:
        raise ConfigError(f"duration must be > 0 s, got {duration!r}")
    n = max(int(round(duration * fps)), 1)
    samples = [motion.sample(i / fps, body) for i in range(n)]
    figures = [forward_kinematics(s.pose, body) for s in samples]
    az = VIEW_AZIMUTH_DEG[view] if azimuth_deg is None else float(azimuth_deg)
    return SynthClip(motion, camera, view, az, float(fps), body, appearance, samples, figures, realism)
