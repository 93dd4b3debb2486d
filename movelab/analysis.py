"""The whole pipeline in one call: video → landmarks → angles and views → reps or gait → findings.

The CLI (``movelab analyse``), the notebooks and any other front end are thin layers over
:func:`analyse`; :func:`analyse_landmarks` does the same from a saved landmark file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
import xarray as xr

from movelab.config import Config
from movelab.events import Segmentation, segment
from movelab.events.config import MovementChoice
from movelab.findings import Finding, detect_findings
from movelab.findings.detect import Context, context_of
from movelab.findings.supine import SUPINE_TESTS
from movelab.kinematics import Motion, compute_motion
from movelab.landmarks import summarise

if TYPE_CHECKING:
    from movelab.extraction import Progress

__all__ = ["Analysis", "analyse", "analyse_landmarks", "analyse_squat_set", "MovementChoice", "OnStage"]

#: Told what the analysis has so far, as it goes: ``on_stage("segmented", motion, segmentation)`` once the reps or
#: cycles are found, ``on_stage("found", motion, segmentation, findings)`` once the findings are; the ``movelab``
#: command's figure worker starts drawing then (:meth:`movelab.report.figure_worker.FigureWorker.on_stage`).
OnStage = Callable[..., None]


@dataclass(frozen=True)
class Analysis:
    """Everything movelab measured in one video.

    Attributes
    ----------
    landmarks
        The client's landmark Dataset (:mod:`movelab.landmarks`).
    angles
        The angle table: ``time_s``, ``frame`` and every angle of docs/conventions.md, degrees.
    views
        Stretches of one view: ``start_s``, ``end_s``, ``view``, ...
    outline
        The outline estimates per frame: pelvic tilt and lumbar lordosis, their change from the client's
        standing baseline and their quality (:func:`movelab.kinematics.outline_estimates`).
    segmentation
        Movement, events, reps or gait cycles (:class:`movelab.events.Segmentation`).
    findings
        The detector's findings, each with its evidence (:class:`movelab.findings.Finding`).
    config
        The settings it was made with.
    motion
        The analysis data every stage read (:class:`movelab.kinematics.Motion`); ``angles``, ``views`` and
        ``outline`` above are its tables.
    summary
        Video and pose facts (:func:`movelab.landmarks.summarise`).
    fms
        The FMS deep squat score (:class:`movelab.findings.fms.DeepSquatScore`) of a squat, from this clip or,
        by :func:`analyse_squat_set`, from this clip and the other view's; None for other movements.
    posture_chain
        Standing posture along the chain (:func:`movelab.report.assessments.posture_chain_summary`) of a
        posture clip; None for other movements.
    """

    landmarks: xr.Dataset
    angles: pd.DataFrame
    views: pd.DataFrame
    outline: pd.DataFrame
    segmentation: Segmentation
    findings: tuple[Finding, ...]
    summary: dict[str, Any] = field(default_factory=dict)
    config: Config = field(default_factory=Config)
    motion: Motion | None = None
    fms: Any = None
    posture_chain: dict[str, Any] | None = None

    def to_report(self) -> dict[str, Any]:
        """The content of ``report.json`` (plain JSON types, no NaN)."""
        from movelab.report.build import build_report

        return build_report(self)


#: Modules the kinematics import on first use (not for kinematics read from the cache), loaded beside the
#: pose model when landmarks are extracted (:func:`movelab._preload.import_beside`).
KINEMATICS_FIRST_USE = ("scipy.signal", "scipy.interpolate", "scipy.ndimage")


def analyse(
    source: str | os.PathLike | int,
    *,
    movement: MovementChoice = "auto",
    config: Config = Config(),
    use_cache: bool = True,
    progress: Progress = False,
    jobs: int = 1,
    on_stage: OnStage | None = None,
) -> Analysis:
    """Analyse one video file (or webcam) from start to finish.

    Parameters
    ----------
    source
        A video file, or a webcam index.
    movement
        ``"auto"`` recognises squat, lunge, gait or standing posture; or name it.
    config
        All settings (:class:`movelab.config.Config`).
    use_cache
        Reuse landmarks extracted before from the same video, model and settings, and the kinematics
        computed before from the same landmarks and settings (:mod:`movelab.motion_cache`).
    progress
        Show a progress bar on stderr while the pose model runs, or a callable told
        ``(frames_done, frames_declared)`` after each frame (:data:`movelab.extraction.Progress`).
    jobs
        Processes extracting a video file in time chunks (:mod:`movelab.parallel`); 1: one process.
    on_stage
        Told each stage's result as the analysis goes (:data:`OnStage`); None: nobody.
    """
    from movelab.landmark_cache import cached_landmarks

    # a video analysed before: its landmarks from the cache without loading the extraction (OpenCV, PyAV: 0.17 s)
    ds = cached_landmarks(source, config=config.extract) if use_cache else None
    if ds is None:
        from movelab._preload import import_beside
        from movelab.extraction import extract  # OpenCV, PyAV and MediaPipe load here, not on import

        import_beside(KINEMATICS_FIRST_USE)  # while the pose model runs (it releases the GIL)
        ds = extract(source, config=config.extract, use_cache=use_cache, progress=progress, jobs=jobs)
    return analyse_landmarks(ds, movement=movement, config=config, use_cache=use_cache, on_stage=on_stage)


def analyse_landmarks(
    ds: xr.Dataset,
    *,
    movement: MovementChoice = "auto",
    config: Config = Config(),
    use_cache: bool = False,
    on_stage: OnStage | None = None,
) -> Analysis:
    """:func:`analyse` from landmarks already extracted (e.g. loaded with :func:`movelab.load_landmarks`).

    The analysis data (:class:`movelab.kinematics.Motion`: views, cleaned positions, angles, outline) is built
    once with ``config.kinematics`` and handed to the events and the findings, which clean nothing again.
    With ``use_cache`` it is read from the cache when these landmarks were analysed before with the same
    kinematics settings and code, and kept there otherwise (:mod:`movelab.motion_cache`). ``on_stage``: as for
    :func:`analyse`.
    """
    if use_cache:
        from movelab.motion_cache import cached_motion

        motion = cached_motion(ds, config=config.kinematics)
    else:
        motion = compute_motion(ds, config=config.kinematics)
    segmentation = segment(motion, movement=movement, config=config.events)
    if on_stage is not None:
        on_stage("segmented", motion, segmentation)
    context = _findings_context(motion, segmentation, config)
    findings = detect_findings(motion, segmentation, config=config.findings, context=context)
    if on_stage is not None:
        on_stage("found", motion, segmentation, findings)
    fms, chain = _assessments(motion, segmentation, config, context=context)
    return Analysis(
        landmarks=ds,
        angles=motion.angles,
        views=motion.views,
        outline=motion.outline,
        segmentation=segmentation,
        findings=findings,
        summary=summarise(ds),
        config=config,
        motion=motion,
        fms=fms,
        posture_chain=chain,
    )


def _findings_context(motion: Motion, segmentation: Segmentation, config: Config) -> Context | None:
    """What the findings read of this motion and segmentation (:func:`movelab.findings.detect.context_of`), built
    once for the findings and the FMS deep squat score (its standing reference was a tenth of their CPU on a long
    recording); None for a supine test, whose findings read no such context."""
    if segmentation.movement in SUPINE_TESTS:
        return None
    return context_of(motion, segmentation, config=config.findings)


def _assessments(
    motion: Motion, segmentation: Segmentation, config: Config, *, context: Context | None
) -> tuple[Any, dict | None]:
    """The FMS deep squat score of a squat (reading the findings' ``context``), the posture-chain summary of a
    standing posture."""
    if segmentation.movement == "squat":
        from movelab.findings.fms import deep_squat_score

        return deep_squat_score((motion, segmentation), findings_config=config.findings, contexts=(context,)), None
    if segmentation.movement == "posture":
        from movelab.report.assessments import posture_chain_summary

        return None, posture_chain_summary(motion, config=config.findings)
    return None, None


def analyse_squat_set(
    side: str | os.PathLike | xr.Dataset,
    front: str | os.PathLike | xr.Dataset,
    *,
    config: Config = Config(),
    use_cache: bool = True,
    progress: Progress = False,
    on_stage: OnStage | None = None,
) -> tuple[Analysis, Analysis]:
    """Two clips of the same squat set (a side view and a front or back view) analysed together.

    Each clip is analysed as a squat (:func:`analyse`, or :func:`analyse_landmarks` for a landmark Dataset);
    the FMS deep squat score then takes each criterion from the view that shows it, so both analyses carry
    the full score (:func:`movelab.findings.fms.deep_squat_score`). The order of the two clips does not
    matter: each clip's view is read from its picture. ``on_stage``: as for :func:`analyse`, told of each clip in
    turn.
    """
    from dataclasses import replace

    from movelab.findings.fms import deep_squat_score

    def one(source) -> Analysis:
        if isinstance(source, xr.Dataset):
            return analyse_landmarks(source, movement="squat", config=config, on_stage=on_stage)
        return analyse(
            source, movement="squat", config=config, use_cache=use_cache, progress=progress, on_stage=on_stage
        )

    a, b = one(side), one(front)
    score = deep_squat_score((a.motion, a.segmentation), (b.motion, b.segmentation), findings_config=config.findings)
    return replace(a, fms=score), replace(b, fms=score)
