"""What a phone adds to a picture: options that make a rendered clip as hard as real footage.

:class:`Realism` gathers them; every one is off by default, and a clip rendered without one (``realism=None``
or ``Realism()``) is byte-for-byte the clip rendered before these options existed. :meth:`Realism.phone` is
the preset of the accuracy scripts' ``--realistic`` switch and of ``movelab synth --realism phone``.

How each option works (``docs/synth.md``, "Realism"):

* **Exposure and rolling shutter** -- the frame is composed from sub-frame renders ``subframe_s`` apart: image
  row ``y`` integrates the scene over ``[t_y - exposure_s / 2, t_y + exposure_s / 2]`` with ``t_y = t +
  rolling_shutter_s * (y / (H - 1) - 1/2)`` (the middle row is read at the frame time ``t``, the top row
  first), the renders interpolated linearly in time between sub-frames. A moving limb smears along its path
  and leans when it moves sideways.
* **Handheld shake** -- the picture moves by a smooth random pan, tilt (``shake_deg`` RMS, turned into pixels
  by the focal length) and in-plane roll (``shake_roll_deg`` RMS, about the image centre), each a sum of
  sinusoids with random phases: amplitude falling as ``1/f`` from 0.3 to 6 Hz (arm and body sway) plus a
  physiological tremor peak near 9 Hz carrying a tenth of the power. It has zero mean: a clip's roll averages to
  about 0 (a static roll is the camera's, not this option's). Shake is applied to every sub-frame, so it
  blurs and skews too; the truth file's landmark pixels move with it (at the frame time).
* **Uneven light** -- the picture is multiplied by a gain that rises linearly across the image towards the
  side the light comes from (``light_gradient``: the brightest edge over the darkest is ``1 +
  light_gradient``) and falls towards the corners (``vignette``: the corner keeps ``1 - vignette``).
* **Background clutter** -- ``clutter`` boxes (cupboards, chairs, a table, a door) stand 1.5-3.5 m behind the
  figure, seeded by ``seed``.
* **Loose clothing** -- ``clothing``: ``"loose"`` trousers (wide legs, wide hems) and a loose untucked shirt
  that hangs over the waist, with fold lines; ``"shorts"``: loose shorts to mid-thigh, bare legs below.
* **Sensor noise** -- Gaussian, ``noise_sigma`` 8-bit levels (before encoding), independent per pixel and
  channel, seeded per frame.
* **Phone encoding** -- H.264 at a fixed ``bitrate_kbps`` (a phone's hardware encoder: one-second keyframe
  interval, no B-frames, x264's ``veryfast``) instead of the quality-based ``crf``; ``reencode_kbps`` then
  decodes and encodes the video again at that rate, as a messaging app does when the clip is shared.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from movelab.errors import ConfigError

__all__ = ["Realism", "Clothing", "shake_offsets", "row_weights", "light_gain", "add_noise", "clutter_boxes"]

Clothing = Literal["fitted", "loose", "shorts"]

#: Frequencies (Hz) of the shake's sway sinusoids and its tremor peak (centre, spread) and share of power.
_SWAY_HZ = (0.3, 6.0)
_TREMOR_HZ = (9.0, 1.5)
_TREMOR_POWER = 0.1


@dataclass(frozen=True)
class Realism:
    """Phone-camera effects added to a rendered clip; every default is "off" (see the module docstring).

    Attributes
    ----------
    exposure_s : float
        Shutter time; 0 renders an instant. Phones indoors expose 1/30-1/60 s at 30 fps.
    rolling_shutter_s : float
        Readout time from the top row to the bottom row (phone CMOS sensors: about 10-30 ms).
    subframe_s : float
        Spacing of the sub-frame renders used for exposure and rolling shutter.
    shake_deg : float
        RMS of the handheld pan and tilt (each), degrees.
    shake_roll_deg : float
        RMS of the handheld in-plane roll about the image centre, degrees (zero mean).
    light_gradient : float
        Brightest edge / darkest edge - 1 across the image, brighter towards ``Appearance.light_from``.
    vignette : float
        Fraction of brightness lost in the image corners.
    clutter : int
        Number of boxes standing behind the figure.
    clothing : {"fitted", "loose", "shorts"}
        ``"fitted"`` is the mannequin's own tight clothing.
    noise_sigma : float
        Standard deviation of the sensor noise, 8-bit levels.
    bitrate_kbps : int or None
        Encode at this bitrate like a phone (None: x264 ``crf`` as before).
    reencode_kbps : int or None
        Decode and encode again at this bitrate (a shared clip); needs ``bitrate_kbps``.
    seed : int
        Seeds the shake, the noise and the clutter.
    """

    exposure_s: float = 0.0
    rolling_shutter_s: float = 0.0
    subframe_s: float = 1.0 / 240.0
    shake_deg: float = 0.0
    shake_roll_deg: float = 0.0
    light_gradient: float = 0.0
    vignette: float = 0.0
    clutter: int = 0
    clothing: Clothing = "fitted"
    noise_sigma: float = 0.0
    bitrate_kbps: int | None = None
    reencode_kbps: int | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        limits = {
            "exposure_s": (0.0, 0.1),
            "rolling_shutter_s": (0.0, 0.05),
            "subframe_s": (1e-4, 0.02),
            "shake_deg": (0.0, 3.0),
            "shake_roll_deg": (0.0, 3.0),
            "light_gradient": (0.0, 2.0),
            "vignette": (0.0, 0.8),
            "noise_sigma": (0.0, 30.0),
        }
        for name, (lo, hi) in limits.items():
            value = getattr(self, name)
            if not (isinstance(value, int | float) and lo <= value <= hi):
                raise ConfigError(f"Realism.{name} must be a number in [{lo}, {hi}], got {value!r}")
        if not (isinstance(self.clutter, int) and 0 <= self.clutter <= 20):
            raise ConfigError(f"Realism.clutter must be an integer 0-20, got {self.clutter!r}")
        if self.clothing not in ("fitted", "loose", "shorts"):
            raise ConfigError(f"Realism.clothing must be 'fitted', 'loose' or 'shorts', got {self.clothing!r}")
        for name in ("bitrate_kbps", "reencode_kbps"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, int) and 100 <= value <= 50000):
                raise ConfigError(f"Realism.{name} must be None or an integer 100-50000 kbit/s, got {value!r}")
        if self.reencode_kbps is not None and self.bitrate_kbps is None:
            raise ConfigError("Realism.reencode_kbps needs bitrate_kbps (the first, phone encoding) as well")

    @classmethod
    def phone(cls, *, seed: int = 0) -> Realism:
        """A phone on a hand in a clinic room, shared once by a messaging app.

        1/50 s exposure and a 20 ms rolling-shutter readout (indoor light at 30 fps), composed from renders
        1/150 s apart (7 per frame); shake 0.25 deg RMS pan
        and tilt, 0.3 deg RMS roll; light 40 % brighter on one side, 25 % vignetting; five pieces of furniture
        behind the figure; loose trousers and shirt; noise of 3 levels; H.264 at 2.5 Mbit/s (a 1080p phone
        video's 16 Mbit/s scaled to 640x480), re-encoded at 1 Mbit/s.
        """
        return cls(
            exposure_s=1.0 / 50.0,
            rolling_shutter_s=0.02,
            subframe_s=1.0 / 150.0,
            shake_deg=0.25,
            shake_roll_deg=0.3,
            light_gradient=0.4,
            vignette=0.25,
            clutter=5,
            clothing="loose",
            noise_sigma=3.0,
            bitrate_kbps=2500,
            reencode_kbps=1000,
            seed=seed,
        )

    @property
    def is_default(self) -> bool:
        """True when every option is off (the clip renders as without realism)."""
        return self == Realism(seed=self.seed, subframe_s=self.subframe_s)

    @property
    def temporal(self) -> bool:
        """Whether a frame needs more than one render (exposure or rolling shutter)."""
        return self.exposure_s > 0 or self.rolling_shutter_s > 0

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


PRESETS = {"none": Realism(), "phone": Realism.phone()}


# ----------------------------------------------------------------------------- shake


def _components(seed: int, axis: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Frequencies, amplitudes (unit RMS overall) and phases of one shake axis."""
    rng = np.random.default_rng([seed, 7919, axis])
    sway_f = np.geomspace(*_SWAY_HZ, 24) * rng.uniform(0.97, 1.03, 24)
    sway_a = 1.0 / sway_f
    sway_a *= math.sqrt(1 - _TREMOR_POWER) / math.sqrt(0.5 * np.sum(sway_a**2))
    tremor_f = rng.normal(_TREMOR_HZ[0], _TREMOR_HZ[1] / 2, 8)
    tremor_a = np.full(8, math.sqrt(_TREMOR_POWER) / math.sqrt(0.5 * 8))
    freqs = np.concatenate([sway_f, tremor_f])
    amps = np.concatenate([sway_a, tremor_a])
    return freqs, amps, rng.uniform(0, 2 * np.pi, freqs.size)


def _unit_shake(t_s: np.ndarray, seed: int, axis: int) -> np.ndarray:
    freqs, amps, phases = _components(seed, axis)
    t = np.asarray(t_s, dtype=np.float64)[..., None]
    return np.sum(amps * np.sin(2 * np.pi * freqs * t + phases), axis=-1)


def shake_offsets(realism: Realism, t_s: np.ndarray | float) -> np.ndarray:
    """Pan, tilt and roll of the shake at ``t_s``, degrees, ``(..., 3)``; each of unit-RMS shape times its
    RMS (``shake_deg``, ``shake_deg``, ``shake_roll_deg``)."""
    scale = (realism.shake_deg, realism.shake_deg, realism.shake_roll_deg)
    return np.stack([s * _unit_shake(t_s, realism.seed, k) for k, s in enumerate(scale)], axis=-1)


def shake_affine(realism: Realism, t_s: float, *, focal_px: float, width_px: int, height_px: int) -> np.ndarray:
    """The 2x3 image warp of the shake at ``t_s``: roll about the image centre, then the pan and tilt shift
    (``focal_px * tan(angle)``)."""
    pan, tilt, roll = shake_offsets(realism, float(t_s))
    c, s = math.cos(math.radians(roll)), math.sin(math.radians(roll))
    cx, cy = (width_px - 1) / 2.0, (height_px - 1) / 2.0
    dx, dy = focal_px * math.tan(math.radians(pan)), focal_px * math.tan(math.radians(tilt))
    return np.array([[c, -s, cx - c * cx + s * cy + dx], [s, c, cy - s * cx - c * cy + dy]])


# ----------------------------------------------------------------------------- exposure and rolling shutter


def subframe_times(realism: Realism, t_s: float) -> np.ndarray:
    """Times of the sub-frame renders of the frame at ``t_s`` (covering every row's exposure)."""
    if not realism.temporal:
        return np.array([t_s])
    half = 0.5 * (realism.exposure_s + realism.rolling_shutter_s)
    n = int(math.ceil(2 * half / realism.subframe_s)) + 1
    return t_s - half + np.arange(n) * (2 * half / (n - 1))


def _hat_cdf(u: np.ndarray) -> np.ndarray:
    """Integral of the unit hat ``max(0, 1 - |u|)`` from -inf to ``u``."""
    u = np.clip(u, -1.0, 1.0)
    return np.where(u < 0, 0.5 * (u + 1) ** 2, 1 - 0.5 * (1 - u) ** 2)


def row_weights(realism: Realism, times_s: np.ndarray, t_s: float, height_px: int) -> np.ndarray:
    """Weight of each sub-frame render in each image row, ``(n_times, height_px)``, columns summing to 1.

    Row ``y`` averages the linear-in-time interpolation of the renders over its exposure window (a box of
    ``exposure_s`` centred on ``t + rolling_shutter_s * (y / (H - 1) - 1/2)``); with no exposure, the
    interpolation at that instant.
    """
    times_s = np.asarray(times_s, dtype=np.float64)
    if times_s.size == 1:
        return np.ones((1, height_px))
    dt = float(times_s[1] - times_s[0])
    centre = t_s + realism.rolling_shutter_s * (np.arange(height_px) / (height_px - 1) - 0.5)
    half = 0.5 * realism.exposure_s
    if half > 0:
        ua = (centre[None, :] - half - times_s[:, None]) / dt
        ub = (centre[None, :] + half - times_s[:, None]) / dt
        w = (_hat_cdf(ub) - _hat_cdf(ua)) * dt / (2 * half)
    else:
        w = np.maximum(0.0, 1 - np.abs(centre[None, :] - times_s[:, None]) / dt)
    return w / w.sum(axis=0, keepdims=True)


# ----------------------------------------------------------------------------- light and noise


def light_gain(realism: Realism, width_px: int, height_px: int, *, light_from: str = "left") -> np.ndarray:
    """Multiplicative brightness ``(height_px, width_px)``: a linear ramp across (brighter towards
    ``light_from``; brightest / darkest edge = ``1 + light_gradient``) times a radial vignette (the corners keep
    ``1 - vignette``), normalised so the image centre keeps its brightness."""
    x = np.linspace(-0.5, 0.5, width_px)[None, :]
    y = np.linspace(-0.5, 0.5, height_px)[:, None]
    toward = -x if light_from == "left" else x
    g = realism.light_gradient
    ramp = (1 + g * (toward + 0.5)) / (1 + 0.5 * g)
    r2 = (x**2 + y**2) / 0.5
    return ramp * (1 - realism.vignette * r2)


def add_noise(img: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """``img`` (uint8) plus Gaussian noise of ``sigma`` levels, rounded and clipped to 0-255."""
    noisy = rng.normal(0.0, sigma, img.shape).astype(np.float32)
    noisy += img  # the same sum as img + noise (addition commutes), in place
    np.rint(noisy, out=noisy)
    return np.clip(noisy, 0, 255, out=noisy).astype(np.uint8)


# ----------------------------------------------------------------------------- clutter


def clutter_boxes(
    realism: Realism, *, camera_position_m, look_at_m, fit_width_m: float
) -> list[tuple[tuple[float, float, float], tuple[float, float, float], tuple[int, int, int]]]:
    """``(centre_m, size_m, rgb)`` of ``clutter`` boxes 1.5-3.5 m behind ``look_at_m`` as the camera sees it,
    spread across twice the fitted width, drawn far to near (so the nearer box covers the farther)."""
    rng = np.random.default_rng([realism.seed, 104729])
    pos = np.asarray(camera_position_m, float)
    target = np.asarray(look_at_m, float)
    fwd = target - pos
    fwd[1] = 0.0
    fwd /= np.linalg.norm(fwd)
    right = np.array([-fwd[2], 0.0, fwd[0]])
    kinds = (  # width, height, depth (m): cupboard, chair, table, door, shelf, plant pot
        (0.9, 1.9, 0.5),
        (0.45, 0.9, 0.45),
        (1.2, 0.75, 0.7),
        (0.9, 2.05, 0.06),
        (1.6, 0.35, 0.3),
        (0.35, 0.6, 0.35),
    )
    boxes = []
    for _ in range(realism.clutter):
        w, h, d = kinds[int(rng.integers(len(kinds)))]
        behind = rng.uniform(1.5, 3.5)
        across = rng.uniform(-1.0, 1.0) * fit_width_m
        base = target + fwd * behind + right * across
        lift = 1.0 if h < 0.5 else 0.0  # a shelf hangs on the wall
        centre = (float(base[0]), float(lift + h / 2), float(base[2]))
        colour = tuple(int(c) for c in rng.integers(40, 220, 3))
        boxes.append((behind, (centre, (float(w), float(h), float(d)), colour)))
    return [b for _, b in sorted(boxes, key=lambda item: -item[0])]
