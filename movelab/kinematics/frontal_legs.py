"""Leg joint centres for the knee FPPA in front and back views, from the landmarks and the person's outline.

Measured on rendered squats (``scripts/accuracy/frontal_findings_accuracy.py``, docs/findings-accuracy.md,
*Where the FPPA error comes from*): the pose model's FPPA at depth ran up to 12° (design bodies; 20° on a
held-out one) off the projected truth, mostly under it. Split per joint (one joint from the pose model, the
other two the projected truth), the knee's placement dominates, then the hip's; the ankle's is small.

* **The hip landmark's height depends on the view.** From the front it sits above the hip joint centre by an
  amount that follows the trunk's foreshortening; from behind it sits about 0.1 upright torso lengths lower
  than from the front. Design bodies: front ``offset / L₀ = 0.042 + 0.532 · (1 − L / L₀)``, back
  ``−0.059 + 0.543 · (1 − L / L₀)`` (``L`` the torso length in the frame, ``L₀`` its 95th percentile).
* **The hip landmarks shift sideways with the light** (both the same way, 2-3 px at depth) and from behind sit
  closer together than the joint centres. The pelvis outline has no shading: the hip joint centres sit about
  its middle. **How far apart** follows the skeleton, the outline's width the soft tissue too: half the
  outline's width on design bodies A and B (0.50-0.51, front and back, at depth), 0.45 and 0.42 of it on the
  thick-legged E and F (their hips were placed 2-4 px too far out, 3-5° too much valgus). The thighs carry
  the joints' spacing: standing, each thigh's outline midline (below the hanging hands; touching thighs'
  shared interval split at its middle) met the hips' height within 1-3 px of the joints' distance. Both
  err wide only (soft tissue outside the joints widens the pelvis outline and, near the hips, the thighs'),
  so the hips went the narrower of the two apart (``hip_spacing="standing_thighs"``, ``hip_cap=
  "outline_share"``). Not where wide hips carry slim thighs: at depth each thigh's cross-section at the hip
  joint makes the outline's edge there, and half the width put the hips 0.88-0.89 of the joints' distance
  apart (design bodies U and V); with the midlines through the shanks (below) the thighs' distance sets the
  hips alone (``hip_cap="none"``; U and V 18 → 63 of 64 legs within 4°, the earlier design legs unchanged in
  count). A height where
  something beside the thigh joins its outline (a hanging hand: the interval over 1.2 times the thigh's median
  width) is left out of its midline. **Touching thighs**: where
  the standing thighs' outlines merge (one interval holds both at a third or more of the heights the midline
  is fitted at, :func:`thighs_touch`), the shared interval split at its middle errs sideways by a quarter of
  the gap the outline bridges between them (or of their overlap), more at the top, where they merge, than
  below: the fitted midlines tilt, and extrapolated to the hips they met 0.89 of the joints' distance on
  design body J (FPPA up to 5.3° low). There each midline takes its slope from the landmarks' thigh (hip
  landmark → knee landmark) and its place sideways from the median of the outline's middles (J: 0.97-0.98 of
  the joints' distance). **Thighs merged at every fitted height** (front views, no height shows them apart,
  :func:`thighs_merged_throughout`): with hip landmarks that sit wide the landmarks' slope put the standing
  midlines 1.06-1.09 times the joints' distance apart at the hips (design bodies F and K, narrow stance).
  A standing leg is straight: each midline runs through its split middles' median and the shank's outline
  middles where the legs stand apart, about 85 px lower (``hip_merged_thighs="through_shank"``; F 1.02,
  K 1.06-1.07). **From behind** every standing thigh's midline is drawn so (``hip_thighs_back=
  "through_shank"``): the front view's choice of midline read 0.85-1.17 times the joints' distance on the
  design back views, through the shanks 0.93-1.09. **From the front** every standing thigh's midline is
  drawn so too (``hip_thighs_front="through_shank"``): the middles' own line and the landmarks' slope put the
  hips 0.89 (F, hip-width stance) to 1.12 (E, wide stance) times the joints' distance apart at depth,
  through the shanks 0.95-1.06 (K's narrow stance 1.10). Known error: between standing and depth
  the pelvis moves along the camera's axis (away from a front camera: the joints' distance at depth was 0.97
  of the standing one on the design renders), which this leaves uncorrected.
* **The knee landmark sits off the joint vertically** (body-dependent from the front, up to 25 px above the
  joint on a thick-legged figure; about 0.11 L₀ below it from behind) and **shifts sideways with the light**.
  The shank's outline midline carries neither sideways error: knee and ankle are put on it, the knee at its
  landmark's height (in back views raised by 0.108 L₀ where the outline shows no bend, below). On the
  midline a knee placed too high reads more valgus.
* **The knee's height from behind** (``knee_height_back="outline_bend"``). The landmark sat 0.05-0.16 L₀
  below the joint on the design back views, no one constant. At depth from behind the thigh and buttock
  widen the outline fast above the knee, the shank slowly below it: the outer edge's bend (the front view's
  fit, :func:`_knee_from_outline_bend`) sat 2.8 px below the projected knee (SD 1.6 px); the knee goes
  there raised by ``knee_bend_raise_back`` (0.02 L₀). Design back views: the knee's height off by 1.3 px
  on average against 2.6 px with the constant raise.
* **The knee's height from the outline's bend** (front views, ``knee_height="outline_bend"``). At the bottom
  of a squat the thigh points at the camera: above the knee the leg's outline widens fast (the thigh's
  cross-section towards the hip), below it slowly (the shank). The knee goes where the outer edge's distance
  from the shank midline bends from one rate to the other; where it does not bend (an upright thigh, which
  is not foreshortened) the landmark's height is kept. The bend is searched only where the leg is bent
  (``knee_bend_max_span_share``, both views): on straight standing legs the outline's best bend is no knee,
  and on the design front views one was found in 75-80 % of standing frames, about 50 px above the knee.
  On the thick-legged design bodies E and F the knee landmark sat up to 0.41 L₀ above the joint. **At 0°
  valgus** the thigh points straight at the camera and its
  outer edge runs on into the shank's without a bend at the knee: the outer edge's best bend was then a
  calf's gentle widening 28-38 px below the knee, or the thigh's outline at the search window's top. The outer
  edge's bend counts only where the outline above it widens faster than ``knee_bend_min_slope`` (the calf's
  0.10-0.14 px/px, knees at 8-25° 0.18 or more) and below the window's top by ``knee_bend_edge_share`` of the
  way from hip to ankle; else the inner edge's bend (``knee_bend_fallback="inner_edge"``), else the landmark.
* **The shank's midline is the bisector of its outline's edges** (``shank_axis="edge_bisector"``), the
  straight lines fitted to the two edges of its cross-sections. A shank tapers towards the ankle; leaning
  sideways (a wide stance, the ankle outside the knee) its two edges slope differently, and the middles of
  horizontal rows lie on the inner side of its axis: on the design bodies' wide stance their line passed
  0.2-0.7 px inside the projected knee (mean per body and valgus), the knee's share of the FPPA error
  +0.8…+1.5° (mean by valgus). The bisector (points as far from both edge lines, measured square to
  them) is the axis of a symmetric taper (:func:`_edge_bisector`).
* **Where the shank's midline is fitted** (``shank_top="lower_knee"``). The midline is fitted at 25-80 % of
  the way from its top down to the ankle landmark. Started at a knee landmark far above the joint, the top
  of those heights lies on the foreshortened thigh, whose outline widens fast towards the hip: the fitted
  line tilts, and the knee and ankle put on it carry the tilt. The fit starts at the lower of the knee
  landmark and the knee as placed (the bend; from behind the landmark sits below the joint and stays the
  top). Design bodies, 132 legs: MAE 1.47° -> 1.27°, largest error 5.6° -> 4.7°.
* **Where the legs' outlines overlap** (``shank_merged="alone"``): an interval that holds both shanks, split at
  its middle, puts each middle outward of its shank (loose trousers at 25° of valgus: 4-5 px) and tilts the
  fitted line. In front views, where at least three of the seven heights show the shank's interval holding it
  alone, only those are fitted (from behind it moved the design back views' narrow stance the wrong way).
  Where fewer do, the heights from 80 % down to the ankle landmark that hold it alone are added when that makes
  three (``shank_merged="alone_to_ankle"``): on realistic renders the ankle landmark sat 20-25 px above the ankle,
  the fitted band lay in the legs' merged outline above the crotch's notch, and the split line stood the
  midline upright (realistic design E, F hip-width 8° up to 6.5° too little valgus).
* **Touching knees** (``knee_touching="outer_edge"``). Knees pressed together merge into one outline
  interval, narrower than the two knees side by side (they overlap in the picture). Split at its middle,
  each knee sat 1-5 px too far out (3-11° too little valgus at 25° in the narrow stance, design bodies). The
  outer edges stay visible: each knee goes half its width inside its outer edge, the width being the median
  of the knee's interval in the clip's frames where the knees are apart (standing, or the descent). Fewer than
  ``_MIN_APART_FRAMES`` such frames (knees that touch in every frame): the width is extrapolated from the
  shanks' outline below, where the legs part (:mod:`movelab.kinematics.leg_split`); where that fails its
  quality gate too (trousers that join the legs in a realistic render): the knees are NaN and a warning says
  why. A merged interval wider than the two knees side by side
  is thighs or pelvis (thick legs, a knee landmark high on the thigh) and is left alone. **Seen from behind**
  at depth the foreshortened thigh covers the knee's height and its outline makes the outer edge there
  (19-26 px from the projected knee on design bodies K and P against a half-width of about 18 px):
  ``knee_touching_back="shank_edge"`` puts the knee half the shank's width inside the shank's outer edge read
  just below it instead (:func:`_back_knees_from_shank_edges`).
* **Legs merged from the crotch to the ankles** (tall bodies with heavy thighs in the narrow stance: design
  bodies AA and AB, held-out T). No frame shows the knees apart and no shank height the legs apart, so neither
  the knees' width (above) nor the shanks' middles that carry the standing thighs' midlines are measured: the
  knees were NaN at 8-25° and the landmarks' slope put the hips 1.13-1.22 times the joints' distance apart.
  ``knee_width_fallback="standing_first"``: where no frame shows the knees apart, a knee's half-width is a
  quarter of the standing knees' merged interval at their height (:func:`_standing_knee_half_width`; knees
  side by side; AA 16.3 px, K 18.3 px against 17.6-17.9 px from K's shanks below), the shanks below only where
  that is not measured (in as few as 10 frames they gave AB 18.4 / 13.5 px against 16.5 px).
  ``hip_merged_legs="knees_ankles"``: where too few standing
  frames show the shanks apart, the hips' distance comes from the line through the standing knees and the
  ankles, where the outline parts below the ankle landmarks (:mod:`movelab.kinematics.merged_legs`); front
  views whose standing thighs merge at every fitted height take it first (``hip_merged_thighs=
  "knees_ankles"``; through the shanks F, K and AB read 1.03-1.12 of the joints' distance standing, this line
  0.94-1.04).

``method="outline_halfway"`` keeps the first correction of issue 18 (hips lowered by one fit for both views,
knees and ankles halfway to the middle of the leg's outline, the ankle turned onto the shank's line) for
comparison.
"""

from __future__ import annotations

import warnings

import numpy as np
import xarray as xr

from movelab.kinematics import leg_split, merged_legs
from movelab.kinematics.geometry import row_crossings_x, row_interval, torso_length

__all__ = ["frontal_leg_centres"]

_SIDES = ("left", "right")


#: The values each of :func:`frontal_leg_centres`'s named options can take.
_CHOICES = {
    "method": ("outline", "outline_halfway"),
    "knee_touching_back": ("knee_row", "shank_edge"),
    "knee_height_back": ("raise", "outline_bend"),
    "hip_spacing": ("outline_share", "standing_thighs"),
    "hip_cap": ("outline_share", "none"),
    "shank_merged": ("split", "alone", "alone_to_ankle"),
    "shank_axis": ("row_middles", "edge_bisector"),
    "hip_thighs_front": ("by_touch", "through_shank"),
    "hip_merged_thighs": ("landmark_slope", "through_shank", "knees_ankles"),
    "hip_thighs_back": ("as_front", "through_shank", "merged_knees_ankles"),
    "knee_width_fallback": ("none", "standing_knees", "standing_first"),
    "knee_shank_width_back": ("below", "below_or_merged"),
    "hip_merged_legs": ("landmark_slope", "knees_ankles"),
    "hip_beside_hands": ("landmarks", "standing_distance"),
    "other_leg_missing": ("whole_interval", "not_measured", "nearest_joint"),
}


def frontal_leg_centres(
    position: xr.DataArray,
    outline_px,
    frontal: np.ndarray,
    *,
    hip_drop: tuple[float, float],
    method: str = "outline_halfway",
    back: np.ndarray | None = None,
    hip_drop_back: tuple[float, float] | None = None,
    hip_width_share: float = 0.5,
    hip_spacing: str = "outline_share",
    hip_cap: str = "outline_share",
    hip_beside_hands: str = "landmarks",
    hip_merged_thighs: str = "landmark_slope",
    hip_merged_legs: str = "landmark_slope",
    knee_raise_back: float = 0.0,
    knee_height_back: str = "raise",
    knee_bend_min_slope_back: float = 0.1,
    knee_bend_raise_back: float = 0.0,
    hip_thighs_back: str = "as_front",
    hip_thighs_front: str = "by_touch",
    knee_outline_share: float = 0.0,
    knee_height: str = "landmark",
    knee_bend_window: tuple[float, float] = (0.2, 0.85),
    knee_bend_min_ratio: float = 2.0,
    knee_bend_fallback: str = "landmark",
    knee_bend_min_slope: float = 0.1,
    knee_bend_edge_share: float = 0.0,
    knee_bend_max_span_share: float | None = None,
    knee_bend_median_s: float | None = None,
    knee_touching: str = "split",
    knee_touching_back: str = "knee_row",
    knee_width_fallback: str = "none",
    knee_shank_width_back: str = "below",
    shank_top: str = "knee_landmark",
    shank_merged: str = "split",
    shank_axis: str = "row_middles",
    other_leg_missing: str = "whole_interval",
) -> xr.DataArray:
    """``position`` with the hips, knees and ankles moved to the joint centres the FPPA needs, in the frames
    of ``frontal`` (other frames and keypoints unchanged).

    Parameters
    ----------
    position
        Cleaned pixel positions ``(time, keypoint, space_2d)``.
    outline_px
        The person outline ``(time, outline_point, space_2d)`` (a closed polygon, NaN-padded), or None.
    frontal
        Bool per frame: front or back view.
    hip_drop
        ``(a, b)``: each hip is lowered by ``L₀ · (a + b · (1 − L / L₀))`` pixels (module notes).
    method
        ``"outline"`` (the shank-midline method below) or ``"outline_halfway"`` (the first correction).
    back
        Bool per frame: back view (``"outline"`` only; None: no back-view frames).
    hip_drop_back
        ``hip_drop`` for back-view frames (None: ``hip_drop``).
    hip_width_share
        ``"outline"``: the hip joint centres sit this share of the outline's width at their height apart
        (with ``hip_spacing="standing_thighs"``: at most).
    hip_spacing
        ``"outline"``: ``"standing_thighs"`` sets the hip joint centres as far apart as the standing thighs'
        outline midlines are at the hips' height (:func:`_standing_hip_distance`) where that is less than
        ``hip_width_share`` of the outline's width (with ``hip_cap="outline_share"``); ``"outline_share"``: that
        share of the width.
    hip_cap
        ``hip_spacing="standing_thighs"``: ``"outline_share"`` sets the hips no further apart than
        ``hip_width_share`` of the outline's width at their height; ``"none"`` as far apart as the standing
        thighs' midlines (``hip_width_share`` of the width where too few standing frames give them).
    hip_beside_hands
        ``"outline"``, where the outline's interval at the hips' height is wider than 2.6 times the hip landmarks'
        distance (the hands hanging against the hips): ``"standing_distance"`` sets the hips the standing
        thighs' distance apart about the landmarks' middle (where that distance is known); ``"landmarks"`` keeps
        the landmarks.
    hip_merged_thighs
        ``"standing_thighs"``, front views where the standing thighs' outlines merge at every height their
        midlines are fitted at (:func:`thighs_merged_throughout`): ``"through_shank"`` draws each midline
        through the split middles' median and the shank's outline middles where the legs stand apart
        (:func:`_thigh_midline`); ``"knees_ankles"`` sets the hips as far apart as the legs' lines through the
        standing knees and the ankles are at their height (:func:`merged_legs.knee_ankle_hip_distance`), else
        as ``"through_shank"``; ``"landmark_slope"`` gives it the landmarks' thigh slope, as for thighs that
        touch at fewer heights.
    knee_raise_back
        ``"outline"``: back-view knees are raised by this many upright torso lengths ``L₀`` (with
        ``knee_height_back="outline_bend"``: where the outline does not bend).
    knee_height_back
        ``"outline"``, back views: ``"outline_bend"`` takes the knee's height from the outer outline's bend
        (:func:`_knee_from_outline_bend`, the knee then raised by ``knee_bend_raise_back · L₀``) where it
        bends, the raised landmark's (``knee_raise_back``) where it does not; ``"raise"`` the raised landmark's.
    knee_bend_min_slope_back
        ``knee_height_back="outline_bend"``: the bend counts only where the outline above it widens faster
        than this (px/px).
    knee_bend_raise_back
        ``knee_height_back="outline_bend"``: the knee goes this many upright torso lengths ``L₀`` above the
        bend.
    hip_thighs_back
        ``hip_spacing="standing_thighs"``, back views: ``"through_shank"`` draws each standing thigh's midline
        through its split middles' median and the shank's outline middles where the legs stand apart, whether
        or not the thighs touch; ``"as_front"`` as in front views where the thighs merge at fewer heights (the
        landmarks' slope where they touch, else the middles' own fitted line).
    hip_thighs_front
        ``hip_spacing="standing_thighs"``, front views: ``"through_shank"`` draws every standing thigh's midline
        through its split middles' median and the shank's outline middles where the legs stand apart, as
        ``hip_thighs_back`` from behind; ``"by_touch"`` by how much the thighs touch (the middles' own fitted
        line where they are apart, the landmarks' slope where they touch, ``hip_merged_thighs`` where they
        merge at every fitted height).
    knee_outline_share
        ``"outline"``, front views: the knee's ``x`` is this share of the way from the shank's midline to the
        middle of the outline at the knee's height.
    knee_height
        ``"outline"``, front views: ``"outline_bend"`` (:func:`_knee_from_outline_bend`) or ``"landmark"``.
    knee_bend_window
        Where the bend is searched: shares of the way from the (lowered) hip down to the ankle landmark.
    knee_bend_min_ratio
        The outline must widen at least this many times as fast above the bend as below it.
    knee_bend_fallback
        ``"outline_bend"``: where the outer edge shows no bend, ``"inner_edge"`` searches the inner edge's,
        ``"landmark"`` keeps the landmark's height.
    knee_bend_min_slope
        ``"outline_bend"``: the outer edge's bend counts only where the outline above it widens faster than
        this (px/px).
    knee_bend_edge_share
        ``"outline_bend"``: the outer edge's best bend less than this share of the way from the hip to the
        ankle below the search window's top is the window's edge and does not count.
    knee_bend_max_span_share
        The bend is searched only in frames where the leg's (lowered) hip lies no further above its ankle
        landmark than this share of that distance's 95th percentile over the view's frames (the thigh is
        foreshortened: the leg bends); elsewhere the knee keeps its height. None: every frame.
    knee_bend_median_s
        ``knee_height="outline_bend"``, front views: each knee's height is the median of the bends found within
        this many seconds either side (:func:`_running_median_bends`; a frame without a bend of its own takes it
        where at least two frames of the window have one). None: each frame's own bend.
    knee_touching
        Where the knees touch (their outlines merged), ``"outer_edge"`` puts each knee half its
        width inside the merged outline's outer edge (:func:`_touching_knees_from_outer_edges`); ``"split"``
        keeps it on the shank midline fitted with the merged interval split at its middle.
    knee_touching_back
        ``knee_touching="outer_edge"``, back views: ``"shank_edge"`` puts touching knees half the shank's width
        inside the shank's outer edge read just below the knee (:func:`_back_knees_from_shank_edges`);
        ``"knee_row"`` half the knee's width inside the outer edge at the knee's height.
    knee_width_fallback
        ``knee_touching="outer_edge"``, where too few frames show the knees apart: ``"standing_knees"`` takes a
        knee's width from the shanks below, else from the standing knees' merged interval
        (:func:`_standing_knee_half_width`); ``"standing_first"`` from the standing knees first, else the shanks
        below; ``"none"`` from the shanks below only (else NaN).
    knee_shank_width_back
        ``knee_touching_back="shank_edge"``, where the shanks touch just below the knees in every frame:
        ``"below_or_merged"`` takes a quarter of their merged interval there as half a shank's width; ``"below"``
        half the width lower down, where the legs part (:func:`leg_split.shank_half_width`).
    hip_merged_legs
        ``hip_spacing="standing_thighs"``, where the standing midlines would run through the shanks but too few
        standing frames show the shanks apart: ``"knees_ankles"`` sets the hips as far apart as the legs' lines
        through the standing knees and the ankles (:func:`merged_legs.knee_ankle_hip_distance`) are at their
        height; ``"landmark_slope"`` draws the thighs' midlines on the landmarks' slope.
    shank_top
        ``"outline"``: the shank midline that carries the knee and the ankle is fitted below the knee landmark
        (``"knee_landmark"``) or below the lower of the knee landmark and the knee as placed (``"lower_knee"``).
    shank_merged
        ``"outline"``, front views: ``"alone"`` fits that midline to the heights where the shank's outline
        interval holds it alone, when at least three do (:func:`_shank_midline`); ``"alone_to_ankle"`` as
        ``"alone"``, with the heights from 80 % of the way down to the ankle landmark that hold the shank alone
        added where fewer than three do; ``"split"`` (back views always) to every height, a merged interval
        split at its middle.
    shank_axis
        ``"outline"``: the shank's midline is the line through its outline intervals' middles
        (``"row_middles"``) or the bisector of the lines fitted to their two edges (``"edge_bisector"``,
        :func:`_edge_bisector`), for the knee's height from the outline's bend and for placing knee and ankle.
    other_leg_missing
        ``"outline"``, frames where the other leg's knee or ankle landmark is missing: ``"not_measured"`` leaves
        this leg's knee and ankle NaN (its FPPA is not measured; a warning counts them), ``"whole_interval"``
        places them as elsewhere, where an outline interval that holds both legs cannot be split and is taken
        whole (:func:`_without_other_leg`); ``"nearest_joint"`` marks where the other leg is by its nearest
        landmark found (the knee for a missing ankle, the ankle for a missing knee, else the hip;
        :func:`_other_leg_xs`).

    Returns
    -------
    xarray.DataArray
        A copy of ``position``.

    Notes
    -----
    ``"outline"``: the hips are lowered by the view's ``hip_drop``, then centred on the middle of the
    outline's interval at their height and set ``hip_width_share`` of its width apart, or the standing
    thighs' distance (:func:`_standing_hip_distance`) where that is less (``hip_spacing="standing_thighs"``),
    where that interval is 1.5-2.6 times the landmarks' distance (wider, with ``hip_beside_hands=
    "standing_distance"``: the standing distance about the landmarks' middle; else kept). Each knee and ankle is
    moved sideways onto its shank's outline midline (:func:`_shank_midline`), at the landmark's height (a back
    view's knee raised by ``knee_raise_back · L₀``; in front views first set to the outline's bend,
    ``knee_height``); in front views
    the knee then moves ``knee_outline_share`` of the way to the middle of the outline at its height. Where
    the legs touch, a shared interval is split at its middle for the midline; with
    ``knee_touching="outer_edge"`` touching knees are then put half a knee's width (measured in the clip's
    frames where the knees are apart) inside the merged outline's outer edge, and are NaN where too few
    frames show them apart. Without a midline the landmark is kept.

    ``"outline_halfway"``: knee and ankle ``x`` become the mean of the landmark's ``x`` and the middle of the
    outline's interior interval at the landmark's ``y`` that holds the landmark (within 2 px). When that
    interval also holds the other leg's landmark (the knees touch), it is split at the midpoint of the two
    landmarks. Without an outline interval the landmark is kept. Then the ankle moves sideways so that
    knee→ankle is parallel to the shank's outline midline (:func:`_align_ankles_with_shank`).

    Only the FPPA uses these points. With any ``frontal`` frame, the result's ``knees_merged`` coordinate (per
    frame) marks the frames whose knees were left NaN because their outlines merged and could not be told
    apart (``"outer_edge"``).
    """
    out = position.copy(deep=True)
    frontal = np.asarray(frontal, dtype=bool)
    merged = np.zeros(position.sizes["time"], dtype=bool)
    if not frontal.any():
        return out
    _check_choices(
        method=method,
        knee_touching_back=knee_touching_back,
        knee_height_back=knee_height_back,
        hip_thighs_back=hip_thighs_back,
        hip_spacing=hip_spacing,
        hip_cap=hip_cap,
        shank_merged=shank_merged,
        shank_axis=shank_axis,
        hip_thighs_front=hip_thighs_front,
        hip_merged_thighs=hip_merged_thighs,
        knee_width_fallback=knee_width_fallback,
        knee_shank_width_back=knee_shank_width_back,
        hip_merged_legs=hip_merged_legs,
        hip_beside_hands=hip_beside_hands,
        other_leg_missing=other_leg_missing,
    )
    back = np.zeros_like(frontal) if back is None or method != "outline" else np.asarray(back, dtype=bool) & frontal
    kp = position.get_index("keypoint")
    values = out.values
    torso = torso_length(position)
    upright = np.nanpercentile(torso[frontal], 95) if np.isfinite(torso[frontal]).any() else np.nan
    if np.isfinite(upright) and upright > 0:
        drop = _hip_drop(torso, upright, hip_drop)
        if hip_drop_back is not None:
            drop = np.where(back, _hip_drop(torso, upright, hip_drop_back), drop)
        drop = np.where(np.isfinite(drop) & frontal, drop, 0.0)
        for side in _SIDES:
            values[:, kp.get_loc(f"{side}_hip"), 1] += drop
    if outline_px is not None:
        outline = np.asarray(outline_px, dtype=np.float64)
        if method == "outline":
            distance = (
                _standing_hip_distance(
                    values,
                    position.values,
                    outline,
                    frontal=frontal,
                    kp=kp,
                    back=back,
                    merged=hip_merged_thighs,
                    back_thighs=hip_thighs_back,
                    front_thighs=hip_thighs_front,
                    legs_merged=hip_merged_legs,
                )
                if hip_spacing == "standing_thighs"
                else np.nan
            )
            _hips_from_pelvis_outline(
                values,
                outline,
                frontal=frontal,
                kp=kp,
                width_share=hip_width_share,
                distance_px=distance,
                capped=hip_cap == "outline_share",
                beside_hands=hip_beside_hands,
            )
            if np.isfinite(upright) and knee_raise_back:
                for side in _SIDES:
                    values[back, kp.get_loc(f"{side}_knee"), 1] -= knee_raise_back * upright
            other_x = _other_leg_xs(position.values, kp, fill=other_leg_missing == "nearest_joint")
            bend = dict(
                other_x=other_x,
                window=knee_bend_window,
                min_ratio=knee_bend_min_ratio,
                axis=shank_axis,
                max_span=knee_bend_max_span_share,
            )
            if knee_height_back == "outline_bend" and np.isfinite(upright):
                _knees_from_outline_bends(
                    values,
                    position.values,
                    outline,
                    frames=back,
                    kp=kp,
                    **bend,
                    min_slope=knee_bend_min_slope_back,
                    raise_px=knee_bend_raise_back * upright,
                )
            if knee_height == "outline_bend":
                bent = _knees_from_outline_bends(
                    values,
                    position.values,
                    outline,
                    frames=frontal & ~back,
                    kp=kp,
                    **bend,
                    fallback=knee_bend_fallback,
                    min_slope=knee_bend_min_slope,
                    edge_share=knee_bend_edge_share,
                )
                if knee_bend_median_s is not None:
                    _running_median_bends(
                        values,
                        bent,
                        position["time"].values,
                        frames=frontal & ~back,
                        kp=kp,
                        half_s=knee_bend_median_s,
                    )
            for side, other in (("left", "right"), ("right", "left")):
                _onto_shank_midline(
                    values,
                    position.values,
                    outline,
                    frontal=frontal,
                    kp=kp,
                    side=side,
                    other=other,
                    outline_share=np.where(back, 0.0, knee_outline_share),
                    below_placed_knee=shank_top == "lower_knee",
                    merged=np.where(back, "split", shank_merged),
                    axis=shank_axis,
                    other_x=other_x,
                )
            if knee_touching == "outer_edge":
                merged = _touching_knees_from_outer_edges(
                    values,
                    position.values,
                    outline,
                    frontal=frontal,
                    kp=kp,
                    back=back,
                    back_edge=knee_touching_back,
                    width_fallback=knee_width_fallback,
                    back_width=knee_shank_width_back,
                )
            if other_leg_missing == "not_measured":
                _without_other_leg(values, position.values, frontal=frontal, kp=kp)
        else:
            _halfway_to_outline(values, position.values, outline, frontal=frontal, kp=kp)
    out.attrs["processing"] = f"{position.attrs.get('processing', '')}; frontal leg centres (FPPA)".lstrip("; ")
    return out.assign_coords(knees_merged=("time", merged))


def _check_choices(**options: str) -> None:
    """ValueError for the first of ``options`` that is not one of its :data:`_CHOICES`."""
    for name, value in options.items():
        if value not in _CHOICES[name]:
            raise ValueError(f"{name} must be {' or '.join(map(repr, _CHOICES[name]))}, got {value!r}")


def _hip_drop(torso: np.ndarray, upright: float, fit: tuple[float, float]) -> np.ndarray:
    """Pixels the hip landmark sits above the joint centre: ``L₀ (a + b (1 − L / L₀))``."""
    return upright * (fit[0] + fit[1] * (1.0 - torso / upright))


def _hips_from_pelvis_outline(
    values,
    outline,
    *,
    frontal,
    kp,
    width_share: float,
    distance_px: float,
    capped: bool = True,
    beside_hands: str = "landmarks",
) -> None:
    """Centre the hips on the middle of the outline's interval at their mean height and set them
    ``distance_px`` apart, at most ``width_share`` of the interval's width when ``capped`` (that share of it
    where ``distance_px`` is NaN), where that interval holds both and is 1.5-2.6 times their distance (an arm
    or hand against the hips widens it beyond that). Where it is wider, ``beside_hands="standing_distance"``
    sets them ``distance_px`` apart about the landmarks' middle (where ``distance_px`` is known): the hands
    make the interval's middle and width no guide, the landmarks' distance is the pose model's (on design E
    from behind, standing, 9-11 px too wide each side)."""
    li, ri = kp.get_loc("left_hip"), kp.get_loc("right_hip")
    for f in np.flatnonzero(frontal):
        (lx, ly), (rx, ry) = values[f, li], values[f, ri]
        if not np.isfinite([lx, ly, rx, ry]).all():
            continue
        xs = row_crossings_x(outline[f], 0.5 * (ly + ry))
        for lo, hi in zip(xs[0::2], xs[1::2]):
            if lo <= min(lx, rx) and max(lx, rx) <= hi:
                if 1.5 * abs(lx - rx) <= hi - lo <= 2.6 * abs(lx - rx):
                    share = width_share * (hi - lo)
                    distance = np.fmin(distance_px, share) if capped or not np.isfinite(distance_px) else distance_px
                    middle = 0.5 * (lo + hi)
                elif hi - lo > 2.6 * abs(lx - rx) and beside_hands == "standing_distance" and np.isfinite(distance_px):
                    distance, middle = distance_px, 0.5 * (lx + rx)
                else:
                    break
                half = 0.5 * distance * np.sign(lx - rx)
                values[f, li, 0], values[f, ri, 0] = middle + half, middle - half
                break


#: The hips' distance is taken from the standing thighs when at least this many frames show them.
_MIN_STANDING_FRAMES = 10
#: Standing: the torso at least this share of its upright length and each hip at least this share of its
#: upright height above its ankle (legs straight). The thighs' landmark lengths served before: on realistic
#: renders the knee landmark slid down the shank as the client squatted, so that the thigh looked longest
#: mid-squat. Realistic design E, F, H, J front clips: 9 of 20 found under 10 "standing" frames (1-9), the
#: others took in frames up to half way down; their hips then fell back to half the outline's width, hands
#: included. By the hips' height: 62-69 frames in each (docs/findings-decisions.md, *straight legs*).
_STANDING_MIN_SHARE = 0.95
#: Where along the thigh (shares of the way from the hip landmark to the knee landmark) its outline midline is
#: fitted: below the hands hanging beside the thighs and the crotch where thick thighs touch.
_THIGH_SHARES = np.linspace(0.55, 0.95, 9)
#: A thigh's outline interval wider than this many times its median width over ``_THIGH_SHARES`` holds more than
#: the thigh (a hand hanging beside it), and its middle is left out. Standing thigh-frames over 1.2: realistic
#: design B wide 8° 27 of 82 (largest 1.41: the pose model's knee landmark 17 px high moved the heights up the
#: thigh, to the hand); clean design E, I, J wide 24-97 of 140 (1.44-1.56); none in A and B's hip and wide
#: stances or E's hip-width one (1.12-1.19 at most), 1-3 in F and H hip-width, A and J narrow from behind (up to
#: 1.26). Clean design 229 -> 232 of 240 legs within 4°, MAE 1.47 -> 1.38°, every changed leg closer
#: (docs/findings-decisions.md, *realistic round*).
_THIGH_MAX_WIDTH_SHARE = 1.2


def _standing_frames(raw, *, frontal, kp) -> np.ndarray:
    """Front or back frames with the torso's landmark length and each hip landmark's height above its ankle
    landmark at least ``_STANDING_MIN_SHARE`` of their upright (95th percentile) values."""
    mid = lambda stem: 0.5 * (raw[:, kp.get_loc(f"left_{stem}")] + raw[:, kp.get_loc(f"right_{stem}")])  # noqa: E731
    lengths = [np.linalg.norm(mid("shoulder") - mid("hip"), axis=-1)]
    lengths += [raw[:, kp.get_loc(f"{side}_ankle"), 1] - raw[:, kp.get_loc(f"{side}_hip"), 1] for side in _SIDES]
    standing = frontal.copy()
    for length_px in lengths:
        ok = frontal & np.isfinite(length_px)
        if not ok.any():
            return np.zeros_like(frontal)
        standing &= np.nan_to_num(length_px) >= _STANDING_MIN_SHARE * np.percentile(length_px[ok], 95)
    return standing


#: The thighs touch when standing where their outlines merge (one interval holds both) at at least this share
#: of the heights a thigh's midline is fitted at, in the median standing frame.
_TOUCHING_MIN_SHARE = 1.0 / 3.0


def _thigh_points(outline: np.ndarray, hip, knee, other_hip_x: float, other_knee_x: float):
    """``(ys, xs, merged)`` at ``_THIGH_SHARES`` of the way from the hip landmark to the knee landmark: the
    middles of the thigh's outline intervals (:func:`_leg_interval`; where the thighs touch, the shared interval
    split at its middle; NaN without an interval) and whether that interval also holds the other thigh; None
    without both landmarks."""
    (hx, hy), (kx, ky) = hip, knee
    if not np.isfinite([hx, hy, kx, ky]).all() or ky - hy < 4:
        return None
    ys = hy + _THIGH_SHARES * (ky - hy)
    xs, merged = np.full(len(ys), np.nan), np.zeros(len(ys), dtype=bool)
    widths = np.full(len(ys), np.nan)
    for i, (y, s) in enumerate(zip(ys, _THIGH_SHARES)):
        x, other_x = hx + s * (kx - hx), other_hip_x + s * (other_knee_x - other_hip_x)
        row = _leg_interval(outline, y, x, other_x, split="middle")
        if row is None:
            continue
        lo, hi, merged[i] = row
        xs[i] = 0.5 * (lo + hi)
        if not merged[i]:  # the thigh's own interval, whole
            widths[i] = hi - lo
    xs[_wider_than_thigh(widths)] = np.nan
    return ys, xs, merged


def _wider_than_thigh(widths: np.ndarray) -> np.ndarray:
    """Per height: whether the thigh's own interval (``widths``, NaN where merged with the other thigh or
    missing) is wider than ``_THIGH_MAX_WIDTH_SHARE`` times the median of them: something beside the thigh
    joins its outline there (a hand hanging beside it), and the interval's middle is not the thigh's."""
    finite = np.isfinite(widths)
    if finite.sum() < 3:
        return np.zeros(len(widths), dtype=bool)
    return finite & (widths > _THIGH_MAX_WIDTH_SHARE * np.median(widths[finite]))


def thighs_touch(merged_shares) -> bool:
    """Whether standing thighs touch: in the median of the frames given, their outlines merge at at least
    ``_TOUCHING_MIN_SHARE`` of the heights a thigh's midline is fitted at (``merged_shares``: per frame, the
    share of those heights where one outline interval holds both thighs)."""
    return _median_share(merged_shares) >= _TOUCHING_MIN_SHARE


def thighs_merged_throughout(merged_shares) -> bool:
    """Whether standing thighs' outlines merge at every height a thigh's midline is fitted at, in the median of
    the frames given (``merged_shares`` as for :func:`thighs_touch`): no height shows the thighs apart."""
    return _median_share(merged_shares) >= 1.0


def _median_share(merged_shares) -> float:
    shares = np.asarray(merged_shares, dtype=float)
    shares = shares[np.isfinite(shares)]
    return float(np.median(shares)) if shares.size else np.nan


#: Where the shank's outline middles are taken for a thigh's line (shares of the way from the knee landmark
#: to the ankle landmark): the heights :func:`_shank_midline` is fitted at.
_SHANK_SHARES = np.linspace(0.25, 0.8, 7)


def _shank_points(outline: np.ndarray, knee, ankle, other_knee, other_ankle):
    """``(ys, xs)``: the middles of the shank's outline intervals at ``_SHANK_SHARES`` of the way from the knee
    landmark to the ankle landmark, only where the interval holds this leg alone (not the other leg's point at
    the same share; :func:`leg_split.leg_alone_intervals`)."""
    rows = leg_split.leg_alone_intervals(outline, knee, ankle, other_knee, other_ankle, shares=_SHANK_SHARES)
    rows = rows[np.isfinite(rows[:, 0])]
    return rows[:, 0], 0.5 * (rows[:, 1] + rows[:, 2])


def _thigh_midline(points, hip, knee, *, slope_from: str = "outline", shank=None):
    """``(slope, intercept)`` of ``x = slope · y + intercept`` through a thigh's outline middles ``points``
    (:func:`_thigh_points`, at least 3), or None. ``slope_from="landmarks"``: the slope of the hip landmark →
    knee landmark line and the intercept that puts it the middles' median distance sideways from that line
    (touching thighs: the middles of a merged interval split at its middle err sideways by a quarter of the
    overlap or of the gap the outline bridges, which tilts a fitted line). ``slope_from="shank"``: the line
    through the middles' median point and the median point of ``shank`` (:func:`_shank_points`, at least 3;
    else None): a standing leg is straight, and the shank's middles where the legs stand apart lie on it a
    long way below the thigh's."""
    if points is None:
        return None
    ys, xs, _ = points
    ok = np.isfinite(xs)
    if ok.sum() < 3:
        return None
    if slope_from == "outline":
        return tuple(np.polyfit(ys[ok], xs[ok], 1))
    if slope_from == "shank":
        if shank is None or len(shank[0]) < 3:
            return None
        (y0, x0), (y1, x1) = (np.median(ys[ok]), np.median(xs[ok])), (np.median(shank[0]), np.median(shank[1]))
        slope = (x1 - x0) / (y1 - y0)
        return slope, float(x0 - slope * y0)
    slope = (knee[0] - hip[0]) / (knee[1] - hip[1])
    return slope, float(np.median(xs[ok] - slope * ys[ok]))


def _standing_hip_distance(
    values,
    raw,
    outline,
    *,
    frontal,
    kp,
    back=None,
    merged: str = "landmark_slope",
    back_thighs: str = "as_front",
    front_thighs: str = "by_touch",
    legs_merged: str = "landmark_slope",
) -> float:
    """The hip joint centres' distance in pixels: the median over the standing frames (:func:`_standing_frames`)
    of the distance between the two thighs' outline midlines (:func:`_thigh_midline`) at the hips' mean height
    in ``values``; NaN in fewer than ``_MIN_STANDING_FRAMES`` frames. Where the standing thighs touch
    (:func:`thighs_touch`), each midline takes its slope from the landmarks' thigh line; where they merge at
    every fitted height in front views (:func:`thighs_merged_throughout`) and ``merged="through_shank"``, it
    runs through the shank's middles where the legs stand apart (the landmarks' slope where too few standing
    frames show them apart); with ``merged="knees_ankles"`` there each leg's line runs through the standing
    knees and the ankles first (:func:`merged_legs.knee_ankle_hip_distance`; through the shanks where that is
    not measured); from behind (some standing frame in ``back``) with ``back_thighs="through_shank"``
    and from the front with ``front_thighs="through_shank"`` so too, whether or not the thighs touch. Where
    too few standing frames show the shanks apart for that, ``legs_merged="knees_ankles"`` draws each leg's
    line through the knees and the ankles (:func:`merged_legs.knee_ankle_hip_distance`) before the landmarks'
    slope."""
    hips = [kp.get_loc(f"{side}_hip") for side in _SIDES]
    knees = [kp.get_loc(f"{side}_knee") for side in _SIDES]
    frames = np.flatnonzero(_standing_frames(raw, frontal=frontal, kp=kp))
    points = {
        (f, i): _thigh_points(
            outline[f], raw[f, hips[i]], raw[f, knees[i]], raw[f, hips[1 - i], 0], raw[f, knees[1 - i], 0]
        )
        for f in frames
        for i in (0, 1)
    }
    shares = [np.mean([p[2].mean() for p in (points[f, 0], points[f, 1]) if p is not None] or [np.nan]) for f in frames]
    slope_from = "landmarks" if thighs_touch(shares) else "outline"
    front = back is None or not np.asarray(back, dtype=bool)[frames].any()
    knees_ankles_first = merged == "knees_ankles" if front else back_thighs == "merged_knees_ankles"
    if knees_ankles_first and thighs_merged_throughout(shares):
        distance = _knees_ankles_distance(values, raw, outline, frames=frames, hips=hips, knees=knees, kp=kp)
        if np.isfinite(distance):
            return distance
    if _through_shanks(shares, front=front, merged=merged, back_thighs=back_thighs, front_thighs=front_thighs):
        ankles = [kp.get_loc(f"{side}_ankle") for side in _SIDES]
        shanks = {
            (f, i): _shank_points(
                outline[f], raw[f, knees[i]], raw[f, ankles[i]], raw[f, knees[1 - i]], raw[f, ankles[1 - i]]
            )
            for f in frames
            for i in (0, 1)
        }
        distance = _median_distance(
            values, raw, points, frames=frames, hips=hips, knees=knees, slope_from="shank", shanks=shanks
        )
        if np.isfinite(distance):
            return distance
        if legs_merged == "knees_ankles":  # the shanks merged too: the line through the knees and the ankles
            distance = _knees_ankles_distance(values, raw, outline, frames=frames, hips=hips, knees=knees, kp=kp)
            if np.isfinite(distance):
                return distance
    return _median_distance(values, raw, points, frames=frames, hips=hips, knees=knees, slope_from=slope_from)


def _knees_ankles_distance(values, raw, outline, *, frames, hips, knees, kp) -> float:
    """:func:`merged_legs.knee_ankle_hip_distance` over the standing ``frames`` (indices), at the hips' mean
    height in ``values``."""
    standing = np.zeros(len(raw), dtype=bool)
    standing[frames] = True
    return merged_legs.knee_ankle_hip_distance(
        raw,
        outline,
        frames=standing,
        hip_y=0.5 * (values[:, hips[0], 1] + values[:, hips[1], 1]),
        knees=knees,
        ankles=[kp.get_loc(f"{side}_ankle") for side in _SIDES],
    )


def _through_shanks(shares, *, front: bool, merged: str, back_thighs: str, front_thighs: str) -> bool:
    """Whether the standing thighs' midlines run through the shanks (:func:`_standing_hip_distance`): from
    behind with ``back_thighs="through_shank"``; from the front with ``front_thighs="through_shank"``, or with
    ``merged="through_shank"`` where the thighs merge at every fitted height (``shares``,
    :func:`thighs_merged_throughout`)."""
    if not front:
        return back_thighs in ("through_shank", "merged_knees_ankles")
    through = merged in ("through_shank", "knees_ankles")  # knees_ankles: through the shanks where it fails
    return front_thighs == "through_shank" or (through and thighs_merged_throughout(shares))


def _median_distance(values, raw, points, *, frames, hips, knees, slope_from: str, shanks=None) -> float:
    """The median over ``frames`` of the two thighs' midlines' distance at the hips' mean height in ``values``
    (:func:`_standing_hip_distance`); NaN in fewer than ``_MIN_STANDING_FRAMES`` frames with both midlines."""
    distances = []
    for f in frames:
        lines = [
            _thigh_midline(
                points[f, i], raw[f, hips[i]], raw[f, knees[i]], slope_from=slope_from, shank=(shanks or {}).get((f, i))
            )
            for i in (0, 1)
        ]
        if lines[0] is None or lines[1] is None:
            continue
        y = 0.5 * (values[f, hips[0], 1] + values[f, hips[1], 1])
        distances.append(abs((lines[0][0] - lines[1][0]) * y + lines[0][1] - lines[1][1]))
    return float(np.median(distances)) if len(distances) >= _MIN_STANDING_FRAMES else np.nan


#: ``shank_merged="alone"``: the shank's midline is fitted to the heights where its outline interval holds it alone
#: when at least this many of the seven do.
_MIN_ALONE_HEIGHTS = 3


def _shank_midline(
    outline: np.ndarray,
    knee,
    ankle,
    other_knee_x: float,
    other_ankle_x: float,
    *,
    split: str,
    merged: str = "split",
    axis: str = "row_middles",
):
    """``(slope, intercept)`` of ``x = slope · y + intercept``, the shank's axis from its outline at 25-80 % of
    the way from the knee landmark's height to the ankle's (at least 3 heights), or None. ``split``: where an
    interval holding both legs is divided (:func:`_leg_interval`). ``merged="alone"``: where at least
    ``_MIN_ALONE_HEIGHTS`` heights show the shank's interval holding it alone, only those are used (the split
    intervals of legs whose outlines overlap lie outward of the shanks and tilt the line); ``"alone_to_ankle"``:
    where fewer do, the heights of ``_TO_ANKLE_SHARES`` that show it alone are added first; ``"split"``: every
    height. ``axis="row_middles"``: the line fitted through the middles of the leg's intervals;
    ``"edge_bisector"``: the bisector of the lines fitted to the intervals' two edges (:func:`_edge_bisector`)."""
    (kx, ky), (ax, ay) = knee, ankle
    if not np.isfinite([kx, ky, ax, ay]).all() or ay - ky < 4:
        return None
    leg = dict(outline=outline, knee=knee, ankle=ankle, other_x=(other_knee_x, other_ankle_x), split=split)
    rows = _shank_rows(**leg, shares=_SHANK_SHARES)
    if len(rows) < 3:
        return None
    if merged == "alone_to_ankle" and sum(r[3] for r in rows) < _MIN_ALONE_HEIGHTS:
        below = [r for r in _shank_rows(**leg, shares=_TO_ANKLE_SHARES) if r[3]]
        if sum(r[3] for r in rows) + len(below) >= _MIN_ALONE_HEIGHTS:
            rows += below
    ys, lo, hi, alone = np.asarray(rows, dtype=np.float64).T
    alone = alone.astype(bool)
    if merged in ("alone", "alone_to_ankle") and alone.sum() >= _MIN_ALONE_HEIGHTS:  # a split interval tilts the line
        ys, lo, hi = ys[alone], lo[alone], hi[alone]
    if axis == "edge_bisector":
        return _edge_bisector(np.polyfit(ys, lo, 1), np.polyfit(ys, hi, 1))
    return tuple(np.polyfit(ys, 0.5 * (lo + hi), 1))


#: ``shank_merged="alone_to_ankle"``: the heights below the fitted band (shares of the way from the knee landmark to
#: the ankle landmark) added where too few of the band hold the shank alone.
_TO_ANKLE_SHARES = np.linspace(0.85, 1.0, 4)


def _shank_rows(outline, *, knee, ankle, other_x, split: str, shares) -> list[tuple[float, float, float, bool]]:
    """Per share of the way from ``knee`` to ``ankle`` with an outline interval there: ``(y, lo, hi, alone)``, the
    leg's part of the interval (:func:`_leg_interval`) and whether it holds this leg alone. ``other_x``: the other
    leg's knee and ankle ``x``."""
    (kx, ky), (ax, ay) = knee, ankle
    rows = []
    for share in shares:
        y, x = ky + share * (ay - ky), kx + share * (ax - kx)
        other = other_x[0] + share * (other_x[1] - other_x[0])
        row = _leg_interval(outline, y, x, other, split=split)
        if row is not None:
            lo, hi, holds_both = row
            rows.append((y, lo, hi, not holds_both))
    return rows


def _edge_bisector(first, second) -> tuple[float, float]:
    """``(slope, intercept)`` of the line halfway between the lines ``x = slope · y + intercept`` ``first``
    and ``second`` (a limb's two outline edges) measured square to them: the axis of a tapering limb.

    Notes
    -----
    A point lies as far from both lines (perpendicular distances ``(x − a_i y − b_i) / √(1 + a_i²)``, of
    opposite signs between them) where ``x = w₁ (a₁ y + b₁) + w₂ (a₂ y + b₂)`` with ``w_i ∝ 1 / √(1 + a_i²)``
    (``w₁ + w₂ = 1``): the bisector. The middles of a horizontal row's interval (equal weights) lie on it only
    where the edges are upright or parallel. A shank that tapers towards the ankle and leans sideways (a wide
    stance) has its edges at different slopes, and the rows' middles' line there passed 0.2-0.7 px inside
    the projected knee (design renders, docs/findings-decisions.md, *front-overread round*).
    """
    (a1, b1), (a2, b2) = first, second
    w1, w2 = 1.0 / np.hypot(1.0, a1), 1.0 / np.hypot(1.0, a2)
    w1, w2 = w1 / (w1 + w2), w2 / (w1 + w2)
    return float(w1 * a1 + w2 * a2), float(w1 * b1 + w2 * b2)


def _onto_shank_midline(
    values,
    raw,
    outline,
    *,
    frontal,
    kp,
    side: str,
    other: str,
    outline_share,
    below_placed_knee: bool = False,
    merged,
    axis: str = "row_middles",
    other_x=None,
) -> None:
    """Move ``side``'s ankle sideways onto the shank's outline midline (from the ``raw`` landmarks' heights)
    and its knee there too, or ``outline_share[frame]`` of the way from there to the middle of the outline at
    the knee landmark's height, each at its height in ``values``. ``merged[frame]``: :func:`_shank_midline`'s.
    ``other_x`` ``(time, keypoint)``: where the other leg's joints are sideways, for splitting an interval that
    holds both legs (None: ``raw``'s)."""
    other_x = raw[..., 0] if other_x is None else other_x
    knee, ankle = kp.get_loc(f"{side}_knee"), kp.get_loc(f"{side}_ankle")
    other_knee, other_ankle = kp.get_loc(f"{other}_knee"), kp.get_loc(f"{other}_ankle")
    for f in np.flatnonzero(frontal):
        # the fit starts at the lower of the knee landmark and the knee as placed: above the joint it would take
        # in the foreshortened thigh's widening outline
        top = (raw[f, knee, 0], np.fmax(values[f, knee, 1], raw[f, knee, 1])) if below_placed_knee else raw[f, knee]
        line = _shank_midline(
            outline[f],
            top,
            raw[f, ankle],
            other_x[f, other_knee],
            other_x[f, other_ankle],
            split="middle",
            merged=merged[f],
            axis=axis,
        )
        if line is None:
            continue
        on_line = line[0] * values[f, knee, 1] + line[1]
        middle = _leg_middle(outline[f], values[f, knee, 1], raw[f, knee, 0], other_x[f, other_knee], split="middle")
        share = outline_share[f] if np.isfinite(middle) else 0.0
        values[f, knee, 0] = on_line + share * (middle - on_line) if share else on_line
        values[f, ankle, 0] = line[0] * values[f, ankle, 1] + line[1]


def _outer_half_width(outline: np.ndarray, ys: np.ndarray, line, outward: float) -> np.ndarray:
    """Per height ``ys``: the distance from the shank's midline ``line`` (``x = slope · y + intercept``) to the
    outline's edge on the ``outward`` side (+1: larger ``x``) of the interval holding the midline; NaN where
    the midline lies outside the outline."""
    p = outline[np.isfinite(outline).all(axis=1)]
    if len(p) < 3:
        return np.full(len(ys), np.nan)
    a, b = p, np.roll(p, -1, axis=0)
    y = ys[:, None]
    crossing = ((a[:, 1] <= y) & (b[:, 1] > y)) | ((b[:, 1] <= y) & (a[:, 1] > y))
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(crossing, a[:, 0] + (y - a[:, 1]) / (b[:, 1] - a[:, 1]) * (b[:, 0] - a[:, 0]), np.nan)
    mid = (line[0] * ys + line[1])[:, None]
    inside = np.sum(x < mid, axis=1) % 2 == 1  # an odd number of edges on one side: within the outline
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # rows without a crossing on that side
        edge = (
            np.nanmin(np.where(x > mid, x, np.nan), axis=1)
            if outward > 0
            else np.nanmax(np.where(x < mid, x, np.nan), axis=1)
        )
    return np.where(inside, np.abs(edge - mid[:, 0]), np.nan)


def _bend(
    ys: np.ndarray, widths: np.ndarray, min_ratio: float, *, min_slope: float = 0.1, edge_px: float = 0.0
) -> float:
    """The height where a continuous two-piece line through ``(ys, widths)`` bends (least squares over the
    candidate heights between the ends), when the piece above widens at least ``min_ratio`` times as fast per
    pixel as the piece below and faster than 0.1 px/px; else NaN. The best such bend does not count (NaN)
    where the piece above it widens no faster than ``min_slope`` px/px (at 0° valgus, a calf's gentle widening
    below the knee), or where it lies less than ``edge_px`` below the first height (the outline bends at or
    above the window's top: a thigh's outline that meets a straight outer edge above the knee)."""
    ok = np.isfinite(widths)
    y, w = ys[ok], widths[ok]
    if len(y) < 12:
        return np.nan
    breaks = y[4:-4]
    hinge = np.minimum(y[None, :] - breaks[:, None], 0.0)  # (break, sample): the extra slope above the break
    yc = y - y.mean()

    def residual(v):  # v minus its least-squares line in y (last axis)
        v = v - v.mean(axis=-1, keepdims=True)
        return v - np.outer(v @ yc / (yc @ yc), yc).reshape(v.shape) if v.ndim > 1 else v - (v @ yc) / (yc @ yc) * yc

    rw, rh = residual(w), residual(hinge)
    hh = np.einsum("ij,ij->i", rh, rh)
    with np.errstate(divide="ignore", invalid="ignore"):
        extra = (rh @ rw) / hh  # the hinge's coefficient per break
        cost = rw @ rw - extra**2 * hh
        below = ((w - extra[:, None] * hinge) @ yc) / (yc @ yc)  # slope of width against y below the break
    above = below + extra
    good = np.isfinite(cost) & (-above > 0.1) & (-above >= min_ratio * np.maximum(-below, 0.0))
    if not good.any():
        return np.nan
    best = np.flatnonzero(good)[np.argmin(cost[good])]
    if -above[best] <= min_slope or breaks[best] - y[0] < edge_px:  # a calf's slow widening, or the window's top
        return np.nan
    return float(breaks[best])


def _knees_from_outline_bends(values, raw, outline, *, frames, kp, **bend) -> dict[str, np.ndarray]:
    """:func:`_knee_from_outline_bend` for both legs in ``frames``, with the options ``bend``; per side, the frames
    whose knee took a bend's height."""
    return {
        side: _knee_from_outline_bend(values, raw, outline, frontal=frames, kp=kp, side=side, other=other, **bend)
        for side, other in (("left", "right"), ("right", "left"))
    }


def _knee_from_outline_bend(
    values,
    raw,
    outline,
    *,
    frontal,
    kp,
    side: str,
    other: str,
    window,
    min_ratio,
    fallback: str = "landmark",
    min_slope: float = 0.1,
    edge_share: float = 0.0,
    raise_px: float = 0.0,
    axis: str = "row_middles",
    max_span: float | None = None,
    other_x=None,
) -> np.ndarray:
    """Set ``side``'s knee height where its leg's outer outline bends (returned: per frame, whether it did): below the
    knee the shank widens slowly upwards, above it the thigh, foreshortened when it points at the camera, widens
    fast. The distance from the shank's midline to the outer edge is searched for its bend (:func:`_bend`) over
    ``window`` (shares of the way from the hip, as lowered, to the ankle landmark). Where the outer edge does not
    bend so, with ``fallback="inner_edge"`` the inner edge's distance is searched the same way; the landmark's
    height is kept where neither bends (a thigh not pointing at the camera). The outer edge's bend counts only where
    the outline above it widens faster than ``min_slope`` px/px and it lies at least ``edge_share`` of the way from
    the hip to the ankle below the window's top (:func:`_bend`): at 0° valgus the outer edge runs straight from
    thigh to shank, and its best bend is a calf's gentle widening below the knee or the thigh's outline at the
    window's top. The knee goes ``raise_px`` above the bend (back views: the bend sits below the joint).
    ``other_x``: as for :func:`_onto_shank_midline`."""
    other_x = raw[..., 0] if other_x is None else other_x
    knee, ankle, hip = (kp.get_loc(f"{side}_{p}") for p in ("knee", "ankle", "hip"))
    other_knee, other_ankle = kp.get_loc(f"{other}_knee"), kp.get_loc(f"{other}_ankle")
    placed = np.zeros(len(values), dtype=bool)
    for f in np.flatnonzero(_bent_legs(values, raw, frames=frontal, hip=hip, ankle=ankle, max_span=max_span)):
        hip_y, ankle_y = values[f, hip, 1], raw[f, ankle, 1]
        if not np.isfinite([hip_y, ankle_y, other_x[f, other_ankle]]).all() or ankle_y - hip_y < 20:
            continue
        line = _shank_midline(
            outline[f],
            raw[f, knee],
            raw[f, ankle],
            other_x[f, other_knee],
            other_x[f, other_ankle],
            split="middle",
            axis=axis,
        )
        if line is None:
            continue
        outward = np.sign(raw[f, ankle, 0] - other_x[f, other_ankle])
        ys = np.arange(hip_y + window[0] * (ankle_y - hip_y), hip_y + window[1] * (ankle_y - hip_y))
        outer = _outer_half_width(outline[f], ys, line, outward)
        bend = _bend(ys, outer, min_ratio, min_slope=min_slope, edge_px=edge_share * (ankle_y - hip_y))
        if fallback == "inner_edge" and not np.isfinite(bend):  # no bend outside: the inner edge's, if any
            bend = _bend(ys, _outer_half_width(outline[f], ys, line, -outward), min_ratio)
        if np.isfinite(bend):
            values[f, knee, 1] = bend - raise_px
            placed[f] = True
    return placed


def _running_median_bends(values, bent, time_s, *, frames, kp, half_s: float) -> None:
    """Each knee's height in ``frames`` as the median of the heights its outline's bend gave (``bent``: per side,
    the frames whose knee took a bend's height, :func:`_knees_from_outline_bends`) within ``half_s`` seconds either
    side, where the frame has a bend of its own or at least two frames of the window have one; elsewhere it is kept.
    The joint does not move tens of pixels from one frame to the next, but on realistic renders (folds and shading
    on trousers) the best bend did, and frames without one fell back to a landmark far from the joint: realistic
    design J, narrow stance, 8°, right knee 318 and 371 px in alternate frames against 354-357 px
    (docs/findings-decisions.md, *the other leg*)."""
    for side in _SIDES:
        knee = kp.get_loc(f"{side}_knee")
        bends = np.where(frames & bent[side], values[:, knee, 1], np.nan)
        for f in np.flatnonzero(frames):
            window = bends[np.abs(time_s - time_s[f]) <= half_s + 1e-9]
            if np.isfinite(bends[f]) or np.isfinite(window).sum() >= 2:
                values[f, knee, 1] = np.nanmedian(window)


def _bent_legs(values, raw, *, frames, hip: int, ankle: int, max_span: float | None) -> np.ndarray:
    """``frames`` where the leg's lowered hip (``values``) lies at most ``max_span`` times its 95th-percentile
    distance over ``frames`` above the ankle landmark (``raw``): a bent leg, whose thigh is foreshortened. On
    the design bodies' straight standing legs the outline's best bend lay about 50 px above the knee, near the
    search window's top (module notes). None: all ``frames``."""
    span = raw[:, ankle, 1] - values[:, hip, 1]
    if max_span is None or not np.isfinite(span[frames]).any():
        return frames
    with np.errstate(invalid="ignore"):
        return frames & (span <= max_span * np.nanpercentile(span[frames], 95))


def _merged_knees(outline, values, raw, *, f: int, li: int, ri: int):
    """``(lo, hi)`` of the outline's interval at the knees' mean height (in ``values``) that holds both knee
    landmarks (``raw``), or None."""
    y = 0.5 * (values[f, li, 1] + values[f, ri, 1])
    lx, rx = raw[f, li, 0], raw[f, ri, 0]
    xs = row_crossings_x(outline[f], y)
    for lo, hi in zip(xs[0::2], xs[1::2]):
        if lo - 2.0 <= min(lx, rx) and max(lx, rx) <= hi + 2.0:
            return lo, hi
    return None


#: Touching knees are placed from a knee width seen in at least this many frames with the knees apart (one
#: frame apart was the pose model settling in a realistic render whose legs merge in every other frame).
_MIN_APART_FRAMES = 10


def _knee_half_width(raw, outline, *, frames, knee: int, other_knee: int) -> float:
    """Median over ``frames``: half the width of the outline's interval holding the knee landmark at its
    height, where that interval does not also hold the other knee (NaN in fewer than ``_MIN_APART_FRAMES``)."""
    widths = []
    for f in np.flatnonzero(frames):
        (x, y), ox = raw[f, knee], raw[f, other_knee, 0]
        interval = row_interval(outline[f], y, x)
        if interval is not None and not (np.isfinite(ox) and interval[0] <= ox <= interval[1]):
            widths.append(0.5 * (interval[1] - interval[0]))
    return float(np.median(widths)) if len(widths) >= _MIN_APART_FRAMES else np.nan


def _touching_knee_half_widths(raw, outline, *, frontal, kp, li: int, ri: int, fallback: str) -> dict:
    """Half of each knee's width (px, by keypoint index): the median over the ``frontal`` frames where the knees
    are apart (:func:`_knee_half_width`); where too few are, from the shank below
    (:func:`leg_split.knee_half_width_below`) and, with ``fallback="standing_knees"``, then a quarter of the
    standing knees' merged interval (:func:`_standing_knee_half_width`); ``"standing_first"`` takes the
    standing knees before the shank below; ``"none"`` the shank below alone. NaN where none is measured."""
    apart = np.zeros(len(raw), dtype=bool)  # at the landmarks' heights, where the widths are measured
    apart[[f for f in np.flatnonzero(frontal) if _merged_knees(outline, raw, raw, f=f, li=li, ri=ri) is None]] = True
    half = {k: _knee_half_width(raw, outline, frames=apart, knee=k, other_knee=o) for k, o in ((li, ri), (ri, li))}
    order = {"none": ("below",), "standing_knees": ("below", "standing"), "standing_first": ("standing", "below")}
    for source in order[fallback]:
        for knee, other in ((li, ri), (ri, li)):
            if np.isfinite(half[knee]):
                continue
            if source == "standing":  # knees side by side standing: each fills half of their merged interval
                standing = _standing_frames(raw, frontal=frontal, kp=kp)
                half[knee] = _standing_knee_half_width(raw, outline, frames=standing, li=li, ri=ri)
            else:  # knees touching in every frame: the width from the shank below, where the legs part
                ankle, other_ankle = _ankle_of(kp, knee), _ankle_of(kp, other)
                half[knee] = leg_split.knee_half_width_below(
                    raw, outline, frames=frontal, knee=knee, ankle=ankle, other_knee=other, other_ankle=other_ankle
                )
    return half


def _standing_knee_half_width(raw, outline, *, frames, li: int, ri: int) -> float:
    """A quarter of the median width of the outline's interval holding both knee landmarks at their mean
    height, over ``frames`` (the standing frames; NaN in fewer than ``_MIN_APART_FRAMES`` with one): half a
    knee's width where standing knees touch side by side. Design bodies AA and K (module notes)."""
    widths = []
    for f in np.flatnonzero(frames):
        (lx, ly), (rx, ry) = raw[f, li], raw[f, ri]
        interval = row_interval(outline[f], 0.5 * (ly + ry), 0.5 * (lx + rx)) if np.isfinite([lx, rx]).all() else None
        if interval is not None and interval[0] - 2.0 <= min(lx, rx) and max(lx, rx) <= interval[1] + 2.0:
            widths.append(interval[1] - interval[0])
    return 0.25 * float(np.median(widths)) if len(widths) >= _MIN_APART_FRAMES else np.nan


def _ankle_of(kp, knee: int) -> int:
    """The index of the ankle on the same side as the knee keypoint ``knee``."""
    return kp.get_loc(kp[knee].replace("knee", "ankle"))


def _touching_knees_from_outer_edges(
    values,
    raw,
    outline,
    *,
    frontal,
    kp,
    back=None,
    back_edge: str = "knee_row",
    width_fallback: str = "none",
    back_width: str = "below",
) -> np.ndarray:
    """Where the knees touch (one outline interval holds both at their height, no wider than the two knees
    side by side), put each knee half its width (:func:`_knee_half_width`, over the frames where the knees
    are apart) inside the merged interval's outer edge. Where too few frames show the knees apart, or a knee
    would cross the interval's middle, the knees are NaN (their FPPA is not measured) and a warning says
    why; those frames are returned (a boolean per frame). In the ``back`` frames (bool per frame) with
    ``back_edge="shank_edge"`` each knee then goes half the shank's width inside the shank's outer edge read
    just below the knee (:func:`_back_knees_from_shank_edges`, the shank's width after ``back_width``). The knees'
    widths where no frame shows them apart follow ``width_fallback`` (:func:`_touching_knee_half_widths`)."""
    heights = values[..., 1].copy()  # as placed before this step (a knee not placed here is NaN'd below)
    li, ri = kp.get_loc("left_knee"), kp.get_loc("right_knee")
    merged = {f: _merged_knees(outline, values, raw, f=f, li=li, ri=ri) for f in np.flatnonzero(frontal)}
    half = _touching_knee_half_widths(raw, outline, frontal=frontal, kp=kp, li=li, ri=ri, fallback=width_fallback)
    unmeasured = 0
    unplaced, placed = np.zeros(len(values), dtype=bool), np.zeros(len(values), dtype=bool)
    for f in np.flatnonzero(frontal):
        if merged.get(f) is None:
            continue
        lo, hi = merged[f]
        if np.isfinite(half[li] + half[ri]) and hi - lo > 2.0 * (half[li] + half[ri]):
            continue  # wider than two knees: thighs or the pelvis, not touching knees
        for knee, other in ((li, ri), (ri, li)):
            outer_right = raw[f, knee, 0] > raw[f, other, 0]
            values[f, knee, 0] = hi - half[knee] if outer_right else lo + half[knee]
            if not half[knee] <= 0.5 * (hi - lo):  # unknown, or the knee would cross the middle: not two knees
                values[f, knee] = np.nan
                unmeasured += 1
                unplaced[f] = True
        placed[f] = not unplaced[f]
    if back_edge == "shank_edge" and back is not None:
        _back_knees_from_shank_edges(
            values,
            raw,
            outline,
            frames=placed & np.asarray(back, dtype=bool),
            frontal=frontal,
            kp=kp,
            heights=heights,
            width=back_width,
        )
    if unmeasured:
        warnings.warn(
            f"knee FPPA not measured in {unmeasured} knee-frames: the knees' outlines merge there (knees together "
            "or loose clothing) and too few frames show them apart to measure each knee's width (at the knees, or "
            "on the shanks just below), which places it within the merged outline",
            UserWarning,
            stacklevel=2,
        )
    return unplaced


def _other_leg_xs(raw, kp, *, fill: bool) -> np.ndarray:
    """``raw``'s ``x`` ``(time, keypoint)``; with ``fill``, a missing knee's ``x`` is its ankle's (else its hip's) and
    a missing ankle's its knee's (else its hip's): where a leg is sideways, for telling the other leg's outline
    from it."""
    xs = raw[..., 0].copy()
    if not fill:
        return xs
    for side in _SIDES:
        hip, knee, ankle = (kp.get_loc(f"{side}_{joint}") for joint in ("hip", "knee", "ankle"))
        xs[:, knee] = np.where(np.isfinite(raw[:, knee, 0]), raw[:, knee, 0], raw[:, ankle, 0])
        xs[:, ankle] = np.where(np.isfinite(raw[:, ankle, 0]), raw[:, ankle, 0], raw[:, knee, 0])
        for joint in (knee, ankle):
            xs[:, joint] = np.where(np.isfinite(xs[:, joint]), xs[:, joint], raw[:, hip, 0])
    return xs


def _without_other_leg(values, raw, *, frontal, kp) -> None:
    """In the ``frontal`` frames where one leg's knee or ankle landmark (``raw``) is missing, the other leg's knee
    and ankle in ``values`` become NaN, and a warning counts them. Without the other leg's landmarks an outline
    interval that holds both legs (touching, or loose trousers) cannot be split, and the leg's midline was fitted
    to both legs' middle: realistic design F, hip-width stance, 16° of valgus, its left ankle missing in half the
    frames about the bottom, read the right leg's FPPA −12.2° against 13.1° (docs/findings-decisions.md, *the
    other leg*)."""
    unmeasured = 0
    for side, other in (("left", "right"), ("right", "left")):
        missing = frontal & ~np.isfinite(raw[:, [kp.get_loc(f"{other}_knee"), kp.get_loc(f"{other}_ankle")], 0]).all(1)
        joints = [kp.get_loc(f"{side}_knee"), kp.get_loc(f"{side}_ankle")]
        present = missing & np.isfinite(values[:, joints, 0]).all(axis=1)
        values[np.ix_(missing, joints)] = np.nan
        unmeasured += int(present.sum())
    if unmeasured:
        warnings.warn(
            f"knee FPPA not measured in {unmeasured} leg-frames: the other leg's knee or ankle was not found there, "
            "and without it a leg's outline cannot be told from the other's where the legs touch",
            UserWarning,
            stacklevel=2,
        )


def _back_knees_from_shank_edges(values, raw, outline, *, frames, frontal, kp, heights, width: str = "below") -> None:
    """Touching knees seen from behind, in ``frames``: each knee's ``x`` half the shank's width
    (:func:`leg_split.shank_half_width`, measured in the ``frontal`` frames where the leg stands alone, below the
    knees' ``heights`` ``(time, keypoint)`` as placed) inside the
    shank's outer edge read just below the knee and extrapolated up to its height (:func:`leg_split.shank_edge_x`;
    at depth the thigh covers the knee's height in the outline). Kept where either is not measured. Where the
    shanks touch at those heights in every frame, ``width="below_or_merged"`` takes a quarter of their merged
    interval there (:func:`leg_split.merged_widths_below`), ``"below"`` the width lower down, where they part."""
    if not np.any(frames):  # no touching knees placed from behind: the shanks' widths are not needed
        return
    li, ri = kp.get_loc("left_knee"), kp.get_loc("right_knee")
    for knee, other in ((li, ri), (ri, li)):
        ankle, other_ankle = _ankle_of(kp, knee), _ankle_of(kp, other)
        legs = [  # the arguments of leg_split's per-frame readers: outline, knee, ankle, other knee, other ankle
            (
                outline[f],
                (raw[f, knee, 0], heights[f, knee]),
                raw[f, ankle],
                (raw[f, other, 0], heights[f, other]),
                raw[f, other_ankle],
            )
            for f in np.flatnonzero(frontal)
        ]
        widths = np.asarray([leg_split.leg_widths_below(*leg) for leg in legs]).reshape(-1, len(leg_split.SHARES))
        merged = [leg_split.merged_widths_below(*leg) for leg in legs] if width == "below_or_merged" else None
        half = leg_split.shank_half_width(widths, merged=merged)
        for f in np.flatnonzero(frames):
            outward = np.sign(raw[f, knee, 0] - raw[f, other, 0])
            edge = leg_split.shank_edge_x(
                outline[f], values[f, knee], raw[f, ankle], leg_x=(raw[f, knee, 0], raw[f, ankle, 0]), outward=outward
            )
            if np.isfinite(edge + half):
                values[f, knee, 0] = edge - outward * half


def _halfway_to_outline(values, raw, outline, *, frontal, kp) -> None:
    """``"outline_halfway"``: knees and ankles halfway to the middle of the leg's outline at their height,
    then each ankle turned onto its shank's line (:func:`_align_ankles_with_shank`)."""
    for part in ("knee", "ankle"):
        for side, other in (("left", "right"), ("right", "left")):
            i, j = kp.get_loc(f"{side}_{part}"), kp.get_loc(f"{other}_{part}")
            for f in np.flatnonzero(frontal):
                x, y = raw[f, i]
                centre = _leg_middle(outline[f], y, x, raw[f, j, 0])
                if np.isfinite(centre):
                    values[f, i, 0] = 0.5 * (x + centre)
    for side, other in (("left", "right"), ("right", "left")):
        _align_ankles_with_shank(values, raw, outline, frontal=frontal, kp=kp, side=side, other=other)


def _align_ankles_with_shank(values, raw, outline, *, frontal, kp, side: str, other: str) -> None:
    """Move ``side``'s ankle sideways (its height kept) so that knee→ankle runs parallel to the shank's outline
    midline (:func:`_shank_midline`, the shared interval split at the landmarks' midpoint)."""
    knee, ankle = kp.get_loc(f"{side}_knee"), kp.get_loc(f"{side}_ankle")
    other_knee, other_ankle = kp.get_loc(f"{other}_knee"), kp.get_loc(f"{other}_ankle")
    for f in np.flatnonzero(frontal):
        line = _shank_midline(
            outline[f], raw[f, knee], raw[f, ankle], raw[f, other_knee, 0], raw[f, other_ankle, 0], split="landmarks"
        )
        if line is not None:
            values[f, ankle, 0] = values[f, knee, 0] + line[0] * (values[f, ankle, 1] - values[f, knee, 1])


def _leg_middle(polygon: np.ndarray, y: float, x: float, other_x: float, *, split: str = "landmarks") -> float:
    """Middle of the leg's part of the outline's interior interval at ``y`` holding ``x`` (:func:`_leg_interval`),
    NaN without one."""
    row = _leg_interval(polygon, y, x, other_x, split=split)
    return np.nan if row is None else 0.5 * (row[0] + row[1])


def _leg_interval(polygon: np.ndarray, y: float, x: float, other_x: float, *, split: str = "landmarks"):
    """``(lo, hi, holds_both)``: the outline's interior interval at ``y`` holding ``x`` (within 2 px), or None,
    and whether it also holds ``other_x`` (the legs touch). Then ``(lo, hi)`` is the part of it on ``x``'s side
    of the split at the two landmarks' midpoint (``split="landmarks"``) or at its own middle (``"middle"``: the
    landmarks shift sideways together with the light, the interval does not)."""
    interval = row_interval(polygon, y, x)
    if interval is None:
        return None
    lo, hi = interval
    if np.isfinite(other_x) and lo <= other_x <= hi:
        mid = 0.5 * (x + other_x) if split == "landmarks" else 0.5 * (lo + hi)
        return (lo, mid, True) if x < mid else (mid, hi, True)
    return lo, hi, False
