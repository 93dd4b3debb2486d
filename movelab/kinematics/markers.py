"""Pelvic tilt measured from ASIS and PSIS skin stickers (marker mode).

Extraction with ``ExtractConfig(markers=...)`` (``movelab analyse --markers``) stores, per frame, the two
sticker dots found near the hip for each colour searched (``marker_px``: image-left and image-right dot,
``marker_area_px``, ``marker_count``; :mod:`movelab.pose.markers`); the clip's colour is the one that gave a
pair in most frames (:func:`marker_colour`). In a side view the dot ahead of the other in the facing
direction is the ASIS, the other the PSIS, and

    pelvic_tilt = atan2(-(ASIS - PSIS)_up, (ASIS - PSIS)_forward)

in the sagittal frame of docs/conventions.md (forward = facing sign times image x, up = -image y): the
PSIS->ASIS line below horizontal, anterior tilt positive, range (-180, 180]. It is a measurement of the
skin markers, not an estimate: its error is the sticker placement on the client, the dot location and the
camera's parallax.

**Parallax.** The ASIS sticker sits further out from the body's midline than the PSIS sticker, so in a side
view it is nearer the camera by ``d`` (``MarkerConfig.sticker_depth_m``). A camera above or below the pelvis
sees that depth as height: the ASIS dot moves down the picture by ``s · tan(e) · d`` pixels (``s`` pixels per
metre, ``e`` the line of sight's elevation at the stickers, positive looking down), which tilts the dots'
line by about ``tan(e) · d / L`` radians (``L`` the stickers' distance): 1.8 deg for a camera 0.4 m below
the pelvis at 5.5 m on a wide rendered body. The ASIS dot's row is corrected by that amount, with ``e`` from
the picture (:func:`movelab.kinematics.camera_elevation.line_of_sight`); what remains uncertain (the
elevation's calibration residual, the sticker depth's spread, the dot location) is the per-frame
``pelvic_tilt_sd``.

A frame gets NaN, with its reason in ``status``, when it is not a side view (``not_side_view``), one or both
dots are missing or hidden (``missing``), more than two candidate dots were found (``ambiguous``), a dot is
smaller than ``min_area_fraction`` of its clip median or more than half its height is hidden by an edge
against the other dot's (``partly_hidden``: its centre would be biased; a smaller cut widens
``pelvic_tilt_sd`` by the shift it may cause, :class:`movelab.pose.markers.DotSearch`), or
the dots' distance differs from the clip median by more than ``max_distance_change`` (``implausible``: a
wrong dot). Nothing is interpolated. The measured tilt is then averaged over ``MarkerConfig.smooth_s``
(centred) within each run of measured frames (:func:`smooth_runs`): never across or into a NaN frame;
``pelvic_tilt_raw`` stays per frame.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from movelab.kinematics.camera_elevation import ElevationCalibration, LineOfSight, line_of_sight
from movelab.kinematics.config import ClientCalibration
from movelab.kinematics.runs import runs
from movelab.kinematics.tables import frame_table
from movelab.kinematics.views import facing_sign, views_per_frame

__all__ = [
    "MarkerConfig",
    "MARKER_STATUSES",
    "has_markers",
    "marker_pelvic_tilt",
    "MarkerTilt",
    "marker_note",
    "marker_colour",
    "pelvic_tilt_with_source",
    "pelvic_tilt_info",
    "ClientCalibration",
    "client_calibration",
    "MIN_CALIBRATION_FRAMES",
    "smooth_runs",
]

MARKER_STATUSES = ("measured", "not_side_view", "missing", "ambiguous", "partly_hidden", "implausible")


@dataclass(frozen=True)
class MarkerConfig:
    """Plausibility limits of marker frames (movelab heuristics, set on rendered stickers).

    Attributes
    ----------
    min_area_fraction
        A dot smaller than this fraction of its clip median area is partly hidden.
    max_distance_change
        Largest relative change of the ASIS-PSIS dot distance from its clip median (a pelvis tilting by
        30 deg in a side view shortens it by nothing; a turn of 20 deg out of profile by 6 %).
    sticker_depth_m
        How much nearer the camera the ASIS sticker is than the PSIS sticker in a side view (metres), and
        ``sticker_depth_sd_m`` its spread: the rendered stickers of the nine design bodies of
        ``scripts/accuracy/outline_population.py`` (0.037-0.044 m, mean 0.0405, sd 0.0028; measured from
        ``movelab.synth.render.marker_points_m`` along the line of sight). Stickers on the bony landmarks
        of a real client differ by more (the ASIS lies about 13.5 cm from the midline, an inter-ASIS
        distance of 270 mm in 92 young women measured with a posture analyser; the PSIS dimple about 4 cm,
        Kenhub): set the client's own when known.
    correct_parallax
        Correct the ASIS dot's row for the camera's elevation (module docstring); False: the raw dots.
    elevation
        The camera-elevation calibration (:class:`movelab.kinematics.camera_elevation.ElevationCalibration`).
    uncorrected_sd_tan
        Standard uncertainty of ``tan(e)`` when the picture gives no elevation (no correction made): the root
        mean square elevation at the stickers over the design clips (0.049).
    dot_sd_px
        Standard uncertainty of one dot's centre in pixels: the measured dots against the rendered stickers'
        projected centres on the design clips (the residual tilt after the parallax, about 0.4 deg at 30-40 px
        spacing).
    smooth_s
        Width of the centred moving mean over the measured tilt (:func:`smooth_runs`; 0: none). Each
        frame's dots carry their own encoding noise (0.2-1.0 deg of tilt sd in a moving clip); the pelvis
        tilts by at most about 1 deg per frame at 30 fps in these clips, and a centred mean leaves a steady
        change unbiased. 0.15 s (5 frames at 30 fps), chosen on the design clips at crf 20, 26 and 30
        (``scripts/accuracy/marker_dots.py``; docs/outline-decisions.md): the dots' tilt error per clip with
        the centroid detector 0.44 deg unsmoothed, 0.39 / 0.37 / 0.36 / 0.38 deg over 3 / 5 / 7 / 9 frames
        (scored on the frames with the whole window; 5 is the shortest within 0.01 deg of the best); the
        marker tilt MAE per clip 0.58 -> 0.55 deg on average with the unmixed centres (each clip read near its own
        landmarks; docs/outline-decisions.md, *the crf table's landmarks*). It does not touch a
        constant error (a pelvis held still shows the same dots in every frame).
    """

    min_area_fraction: float = 0.6
    max_distance_change: float = 0.2
    sticker_depth_m: float = 0.0405
    sticker_depth_sd_m: float = 0.0028
    correct_parallax: bool = True
    elevation: ElevationCalibration = ElevationCalibration()
    uncorrected_sd_tan: float = 0.049
    dot_sd_px: float = 0.2
    smooth_s: float = 0.15


@dataclass(frozen=True, eq=False)
class MarkerTilt:
    """The sticker pelvic tilt of one clip (:func:`marker_pelvic_tilt`).

    Attributes
    ----------
    table
        Per-frame table (index ``time_s``): ``frame``, ``pelvic_tilt`` (degrees, NaN unless measured, corrected
        for the parallax), ``pelvic_tilt_sd`` (its standard uncertainty, degrees), ``pelvic_tilt_raw`` (the
        dots' line as seen) and ``status`` (one of :data:`MARKER_STATUSES`).
    note
        How many frames were measured and why the others were not (a sentence for the report).
    colour
        The sticker colour the clip was read with.
    elevation_tan
        The line of sight's calibrated ``tan(e)`` at the stickers (median over the clip; positive: the camera
        looks down on the pelvis); NaN when the picture gave none (no correction made).
    """

    table: pd.DataFrame
    note: str
    colour: str
    elevation_tan: float = float("nan")


def has_markers(ds: xr.Dataset) -> bool:
    """Whether the landmark Dataset carries sticker dots (extracted with ``markers`` set)."""
    return "marker_px" in ds


def marker_pelvic_tilt(ds: xr.Dataset, views=None, *, config: MarkerConfig = MarkerConfig()) -> MarkerTilt:
    """Pelvic tilt per frame from the ASIS and PSIS dots.

    Parameters
    ----------
    ds
        Landmark Dataset with ``marker_px`` (see :func:`has_markers`).
    views
        As for :func:`movelab.kinematics.views_per_frame` (``None`` detects them).
    config
        Plausibility limits.

    Returns
    -------
    MarkerTilt
        The per-frame table, the note and the colour.

    Raises
    ------
    ValueError
        ``ds`` has no marker dots.
    """
    if not has_markers(ds):
        raise ValueError(
            "marker_pelvic_tilt needs landmarks extracted with markers (--markers); this Dataset has no 'marker_px'"
        )
    facing = facing_sign(views_per_frame(ds, views))
    colour = marker_colour(ds)
    dots = ds["marker_px"].sel(marker_colour=colour).values.astype(np.float64)
    areas = ds["marker_area_px"].sel(marker_colour=colour).values.astype(np.float64)
    count = ds["marker_count"].sel(marker_colour=colour).values
    cut_sd = _cut_sd_px(ds, colour)
    status = np.full(count.shape, "measured", dtype=object)
    status[count < 2] = "missing"
    status[count > 2] = "ambiguous"
    status[(count == 2) & ~np.isfinite(dots).all(axis=(1, 2))] = "partly_hidden"  # a dot mostly hidden
    two = status == "measured"
    if two.any():
        median_area = np.nanmedian(areas[two], axis=0)
        status[two & (areas < config.min_area_fraction * median_area).any(axis=1)] = "partly_hidden"
    distance = np.hypot(*(dots[:, 1] - dots[:, 0]).T)
    ok = status == "measured"
    if ok.any():
        change = np.abs(distance / np.nanmedian(distance[ok]) - 1.0)
        status[ok & (change > config.max_distance_change)] = "implausible"
    status[~np.isfinite(facing)] = "not_side_view"
    measured = status == "measured"
    sight = line_of_sight(ds, calibration=config.elevation) if config.correct_parallax and measured.any() else None
    raw = _tilt_deg(dots, facing)
    tilt, sd, tan_e = _parallax_corrected(dots, facing, sight, config, cut_sd_px=cut_sd)
    for column in (raw, tilt, sd):
        column[~measured] = np.nan
    tilt = smooth_runs(tilt, window=_window_frames(ds, config.smooth_s))
    table = frame_table(ds).assign(pelvic_tilt=tilt, pelvic_tilt_sd=sd, pelvic_tilt_raw=raw, status=status)
    note = marker_note(table["status"], colour)
    cut = int((measured & (cut_sd > 0).any(axis=1)).sum())
    if cut:
        note += (
            f"; in {cut} of the measured frames a sticker was partly covered from above (a shirt's hem?): "
            "its centre was taken from its lower edge and its uncertainty widened"
        )
    if sight is not None and np.isfinite(tan_e[measured]).any():
        elevation = float(np.nanmedian(tan_e[measured]))
        note += f"; corrected for the camera's parallax (line of sight {np.degrees(np.arctan(elevation)):+.1f} deg)"
    else:
        elevation = float("nan")
    return MarkerTilt(table=table, note=note, colour=colour, elevation_tan=elevation)


def _window_frames(ds: xr.Dataset, smooth_s: float) -> int:
    """The odd number of frames nearest ``smooth_s`` at the clip's median frame interval (1: none)."""
    time_s = np.asarray(ds["time"].values, dtype=np.float64)
    steps = np.diff(time_s)
    steps = steps[np.isfinite(steps) & (steps > 0)]
    if smooth_s <= 0 or steps.size == 0:
        return 1
    return max(1, 2 * int(round(0.5 * (smooth_s / float(np.median(steps)) - 1))) + 1)


def smooth_runs(values: np.ndarray, *, window: int) -> np.ndarray:
    """A centred moving mean of ``window`` (odd) frames within each run of finite values.

    Near a run's ends the window shrinks symmetrically (a run's first frame keeps its own value), so a steady
    change stays unbiased; a NaN frame stays NaN and is never filled, and no value crosses a gap.
    """
    values = np.asarray(values, dtype=np.float64)
    out = values.copy()
    half = window // 2
    if half < 1:
        return out
    for start, stop in runs(np.isfinite(values)):
        for i in range(start, stop):
            h = min(half, i - start, stop - 1 - i)
            out[i] = values[i - h : i + h + 1].mean()
    return out


def _asis_psis(dots: np.ndarray, facing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ASIS is the image-right dot facing right, the image-left one facing left."""
    right_facing = facing > 0
    asis = np.where(right_facing[:, None], dots[:, 1], dots[:, 0])
    psis = np.where(right_facing[:, None], dots[:, 0], dots[:, 1])
    return asis, psis


def _tilt_deg(dots: np.ndarray, facing: np.ndarray, asis_drop_px: np.ndarray | float = 0.0) -> np.ndarray:
    """PSIS->ASIS line below horizontal, the ASIS dot first raised by ``asis_drop_px`` (the parallax)."""
    asis, psis = _asis_psis(dots, facing)
    forward = facing * (asis[:, 0] - psis[:, 0])
    up = -(asis[:, 1] - asis_drop_px - psis[:, 1])
    with np.errstate(invalid="ignore"):
        return np.degrees(np.arctan2(-up, forward))


def _cut_sd_px(ds: xr.Dataset, colour: str) -> np.ndarray:
    """Each dot's added centre uncertainty from a cut edge, ``(n, 2)`` pixels (zeros for landmarks found
    before the detector measured cuts)."""
    if "marker_cut_sd_px" not in ds:
        return np.zeros((ds.sizes["time"], 2))
    return np.nan_to_num(ds["marker_cut_sd_px"].sel(marker_colour=colour).values.astype(np.float64))


def _parallax_corrected(
    dots: np.ndarray,
    facing: np.ndarray,
    sight: LineOfSight | None,
    config: MarkerConfig,
    *,
    cut_sd_px: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tilt corrected for the parallax, its standard uncertainty (degrees) and ``tan(e)`` per frame.

    The ASIS dot, ``d`` nearer the camera, shows ``s · tan(e) · d`` pixels lower than it would beside the
    PSIS (``s`` pixels per metre); its row is raised by that. The uncertainty adds, over the dots' distance
    ``D`` in pixels, ``s · d · sd(tan e)``, ``s · tan(e) · sd(d)`` and both dots' centres (``dot_sd_px`` each)
    in quadrature, and the centre uncertainty a cut edge adds to each dot (``cut_sd_px``, ``(n, 2)``;
    :class:`movelab.pose.markers.Dots`). Without an elevation from the picture nothing is corrected and
    ``sd(tan e)`` is ``uncorrected_sd_tan``.
    """
    n = dots.shape[0]
    distance_px = np.hypot(*(dots[:, 1] - dots[:, 0]).T)
    if sight is None:
        tan_e, sd_tan = np.zeros(n), config.uncorrected_sd_tan
        px_per_m = _px_per_m_from_dots(distance_px)
    else:
        row_px = 0.5 * (dots[:, 0, 1] + dots[:, 1, 1])
        tan_e, sd_tan, px_per_m = sight.tan_elevation(row_px), config.elevation.sd_tan, sight.px_per_m
    drop_px = px_per_m * tan_e * config.sticker_depth_m
    tilt = _tilt_deg(dots, facing, drop_px)
    spread_px = np.sqrt(
        (px_per_m * config.sticker_depth_m * sd_tan) ** 2
        + (px_per_m * tan_e * config.sticker_depth_sd_m) ** 2
        + 2 * config.dot_sd_px**2
        + (0.0 if cut_sd_px is None else (cut_sd_px**2).sum(axis=1))
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.degrees(spread_px / distance_px)
    return tilt, sd, tan_e


def _px_per_m_from_dots(distance_px: np.ndarray) -> float:
    """Pixels per metre from the dots' distance when the landmarks give none (stickers about 0.15 m apart,
    the rendered design bodies' ASIS-PSIS sticker distance)."""
    with np.errstate(invalid="ignore"):
        return float(np.nanmedian(distance_px)) / 0.15 if np.isfinite(distance_px).any() else float("nan")


def marker_note(status: pd.Series, colour: str = "") -> str:
    """One sentence: frames measured from the stickers, and the reasons the others are NaN."""
    counts = status.value_counts()
    side = int(len(status) - counts.get("not_side_view", 0))
    measured = int(counts.get("measured", 0))
    if side == 0:
        return "pelvic tilt from markers: no side-view frame; markers measure the pelvis only in side view"
    reasons = [f"{int(counts[s])} {s.replace('_', ' ')}" for s in MARKER_STATUSES[2:] if counts.get(s, 0)]
    named = f"{colour} " if colour else ""
    text = f"pelvic tilt from {named}ASIS/PSIS markers in {measured} of {side} side-view frames"
    if reasons:
        text += "; NaN where the dots were " + ", ".join(reasons) + " (no value is guessed)"
    return text


def marker_colour(ds: xr.Dataset) -> str:
    """The sticker colour of the clip: of the colours searched, the one that gave a pair of dots in most
    frames (the first one searched when none did)."""
    counts = ds["marker_count"]
    pairs = (counts == 2).sum("time").values
    return str(counts["marker_colour"].values[int(np.argmax(pairs))])


def pelvic_tilt_with_source(
    ds: xr.Dataset,
    views,
    outline_tilt: np.ndarray,
    *,
    calibration: ClientCalibration | None = None,
    with_info: bool = True,
    config: MarkerConfig = MarkerConfig(),
) -> tuple[np.ndarray, np.ndarray, dict]:
    """The pelvic tilt the angle table reports, where it came from per frame, and what to say about it.

    With marker dots in ``ds`` (marker mode) the tilt is the markers' in every frame, NaN where they were not
    measured (never the outline's in their place: the two differ by a body-specific offset). Without, the
    outline estimate ``outline_tilt``, minus the client's own offset when ``calibration`` is given.

    Returns
    -------
    tilt : ndarray
        Degrees per frame.
    source : ndarray of str
        ``"markers"``, ``"outline"`` or ``""`` (no value) per frame.
    info : dict
        ``mode`` (``markers`` or ``outline``), ``note`` (a sentence for the report), ``calibration`` (the
        :class:`ClientCalibration` applied, as a dict, or None) and, in marker mode, ``client_calibration``:
        the calibration this session yields for later sessions (None with too few frames),
        ``median_sd_deg`` and ``sd_deg`` (the markers' per-frame ``pelvic_tilt_sd``, an array) and
        ``elevation_deg`` (the camera's line of sight at the stickers, None when not read).
    """
    outline_tilt = np.asarray(outline_tilt, dtype=np.float64)
    if has_markers(ds):
        markers = marker_pelvic_tilt(ds, views, config=config)
        tilt = markers.table["pelvic_tilt"].to_numpy(dtype=np.float64)
        made = (
            client_calibration(tilt, outline_tilt, source=str(ds.attrs.get("source_path", ""))) if with_info else None
        )
        note = markers.note
        if calibration is not None:
            note += "; the client calibration given was not used (markers measure the tilt directly)"
        sd = markers.table["pelvic_tilt_sd"].to_numpy(dtype=np.float64)
        return (
            tilt,
            np.where(np.isfinite(tilt), "markers", "").astype(object),
            {
                "mode": "markers",
                "note": note,
                "calibration": None,
                "client_calibration": None if made is None else dataclasses.asdict(made),
                "median_sd_deg": float(np.nanmedian(sd)) if np.isfinite(sd).any() else None,
                "elevation_deg": (
                    float(np.degrees(np.arctan(markers.elevation_tan))) if np.isfinite(markers.elevation_tan) else None
                ),
                "sd_deg": sd,
            },
        )
    if calibration is None:
        note = (
            "pelvic tilt estimated from the body outline; its absolute value carries a body-specific "
            "offset (docs/outline.md)"
        )
        return (
            outline_tilt,
            np.where(np.isfinite(outline_tilt), "outline", "").astype(object),
            {"mode": "outline", "note": note, "calibration": None},
        )
    tilt = outline_tilt - calibration.pelvic_tilt_offset_deg
    note = (
        f"pelvic tilt estimated from the body outline, calibrated to the client's own marker session "
        f"{calibration.source or ''} (offset {calibration.pelvic_tilt_offset_deg:+.1f} deg over "
        f"{calibration.frames} frames)"
    ).replace("  ", " ")
    return (
        tilt,
        np.where(np.isfinite(tilt), "outline", "").astype(object),
        {"mode": "outline", "note": note, "calibration": dataclasses.asdict(calibration)},
    )


def pelvic_tilt_info(
    ds: xr.Dataset, frame_views, outline: pd.DataFrame, *, calibration: ClientCalibration | None = None
) -> dict:
    """What to say about the angle table's pelvic tilt (:func:`pelvic_tilt_with_source`'s ``info``) for a
    Motion's outline table (whose ``pelvic_tilt`` is the outline estimate in marker mode), with, in outline
    mode without a client calibration, ``median_sd_deg``: the clip's median per-frame uncertainty
    ``pelvic_tilt_sd``."""
    if has_markers(ds):
        info = pelvic_tilt_with_source(
            ds, frame_views, outline["pelvic_tilt"].to_numpy(dtype=np.float64), calibration=calibration
        )[2]
        info.pop("sd_deg")  # per frame: the outline table's pelvic_tilt_marker_sd
        return info
    info = pelvic_tilt_with_source(ds, frame_views, np.full(len(outline), np.nan), calibration=calibration)[2]
    if calibration is None:  # the body part of the uncertainty is what a client calibration removes
        sd = outline["pelvic_tilt_sd"].to_numpy(dtype=np.float64) if "pelvic_tilt_sd" in outline else np.array([])
        info["median_sd_deg"] = float(np.nanmedian(sd)) if np.isfinite(sd).any() else None
    return info


#: Fewest frames with both a marker and an outline tilt that make a client calibration (1 s at 30 fps).
MIN_CALIBRATION_FRAMES = 30


def client_calibration(
    marker_tilt: np.ndarray, outline_tilt: np.ndarray, *, source: str = ""
) -> ClientCalibration | None:
    """The client's outline offset from one marker session (None with fewer than
    :data:`MIN_CALIBRATION_FRAMES` frames that have both values)."""
    both = np.isfinite(marker_tilt) & np.isfinite(outline_tilt)
    if both.sum() < MIN_CALIBRATION_FRAMES:
        return None
    offset = float(np.median(np.asarray(outline_tilt)[both] - np.asarray(marker_tilt)[both]))
    return ClientCalibration(round(offset, 2), int(both.sum()), source)
