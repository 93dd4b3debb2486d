"""Draw the mannequin with OpenCV: shaded convex pieces, projected exactly, painted far to near.

Every body part is a convex piece: an ellipsoid (head, hands, joints), a tapered capsule (limbs: the hull of
two spheres) or a loft slice (the trunk: the hull of two consecutive cross-section rings). Rings of the trunk
hang on the pelvis, on each lumbar junction and on the thorax, so the outline of the back follows the lumbar
segments and the buttocks and abdomen follow the pelvis. Shading: each piece is filled in bands, each shrunk
about the piece's point nearest the light (a camera-fixed light from above and the image left), so it stays inside
the piece, darker at the rim; the pieces of
one part are banded together so the trunk reads as one smooth body. Parts are sorted by depth (painter's
algorithm); edges are anti-aliased.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from movelab.errors import ConfigError
from movelab.synth.camera import Camera
from movelab.synth.skeleton import SIDES, Figure

__all__ = ["Appearance", "Prop", "SKIN_TONES", "marker_points_m", "render_background", "render_figure"]

RGB = tuple[int, int, int]

#: A few skin tones (RGB), light to dark.
SKIN_TONES: dict[str, RGB] = {
    "light": (236, 200, 170),
    "medium": (205, 155, 115),
    "tan": (170, 120, 85),
    "dark": (110, 72, 50),
}

_BAND_SCALE = (1.0, 0.86, 0.70, 0.52, 0.32)
_BAND_SHADE = (0.60, 0.72, 0.83, 0.93, 1.0)
_SHIFT = 4  # fixed-point bits for sub-pixel polygon vertices
_EYE3 = np.eye(3)
_EYE3.flags.writeable = False
_DOWEL_RGB: RGB = (178, 132, 84)  # a wooden dowel


@dataclass(frozen=True)
class Appearance:
    """Colours (RGB 0-255) and lighting of the scene.

    ``marker_rgb`` (None: none) paints round skin stickers of radius ``marker_radius_m`` over the ASIS and
    the PSIS on both sides of the pelvis, at the ASIS-PSIS line's height (:func:`marker_points_m`), shaded
    by the light like the rest of the figure; a sticker is drawn only where its side faces the camera.
    ``marker_hem_m`` (None: no hem over them) lets the shirt's hem cover the stickers' top: the hem hangs that
    far above the stickers' line (metres; negative: below it, hiding more than half) and turns with the
    shirt's lowest ring (the L4/L5 level), so a trunk sway moves it over the stickers.

    ``light_from`` names the image side the light comes from; a side light makes the figure's left and right
    limbs shade differently in front and back views, as on a person lit from a window.
    """

    background_rgb: RGB = (196, 204, 212)
    floor_rgb: RGB = (150, 142, 130)
    skin_rgb: RGB = SKIN_TONES["medium"]
    hair_rgb: RGB = (60, 42, 30)
    shirt_rgb: RGB = (52, 100, 170)
    trousers_rgb: RGB = (45, 45, 55)
    shoes_rgb: RGB = (230, 230, 230)
    sleeve: Literal["short", "long"] = "short"
    light_from: Literal["left", "right"] = "left"
    ambient: float = 0.35
    marker_rgb: RGB | None = None
    marker_radius_m: float = 0.012
    marker_hem_m: float | None = None

    def __post_init__(self) -> None:
        if self.marker_rgb is not None and (
            len(self.marker_rgb) != 3 or not all(0 <= int(c) <= 255 for c in self.marker_rgb)
        ):
            raise ConfigError(f"Appearance.marker_rgb must be None or three integers 0-255, got {self.marker_rgb!r}")
        if not 0.002 <= self.marker_radius_m <= 0.05:
            raise ConfigError(f"Appearance.marker_radius_m must be in [0.002, 0.05] m, got {self.marker_radius_m!r}")
        if self.marker_hem_m is not None and not -0.05 <= self.marker_hem_m <= 0.05:
            raise ConfigError(f"Appearance.marker_hem_m must be None or in [-0.05, 0.05] m, got {self.marker_hem_m!r}")
        for name in ("background_rgb", "floor_rgb", "skin_rgb", "hair_rgb", "shirt_rgb", "trousers_rgb", "shoes_rgb"):
            value = getattr(self, name)
            if len(value) != 3 or not all(0 <= int(c) <= 255 for c in value):
                raise ConfigError(f"Appearance.{name} must be three integers 0-255, got {value!r}")


@dataclass(frozen=True)
class Prop:
    """A box in the scene (a treadmill deck, a plinth): world centre, size and RGB colour."""

    centre_m: tuple[float, float, float]
    size_m: tuple[float, float, float]
    colour_rgb: RGB


# ----------------------------------------------------------------------------- pieces


@dataclass
class _Ellipsoid:
    centre: np.ndarray  # (3,)
    axes: np.ndarray  # (3, 3): columns are the semi-axis vectors
    colour: RGB

    def extent(self, direction: np.ndarray) -> float:
        return float(np.linalg.norm(self.axes.T @ direction))

    def depth(self, cam: _Cam) -> float:
        return cam.depth(self.centre)


@dataclass
class _Capsule:
    a: np.ndarray
    ra: float
    b: np.ndarray
    rb: float
    colour: RGB

    def polygon(self, cam: _Cam, s: float, light: np.ndarray) -> np.ndarray | None:
        pa = cam.ellipsoid(self.a + (1 - s) * self.ra * light, _EYE3 * self.ra * s)
        pb = cam.ellipsoid(self.b + (1 - s) * self.rb * light, _EYE3 * self.rb * s)
        if pa is None or pb is None:
            return None
        return cv2.convexHull(np.vstack([pa, pb]).astype(np.float32)).reshape(-1, 2)

    def depth(self, cam: _Cam) -> float:
        return 0.5 * (cam.depth(self.a) + cam.depth(self.b))


@dataclass
class _Slice:
    """Hull of two trunk rings, each ``(n, 3)`` world points.

    A shading band shrinks each ring by ``s`` about its point furthest towards the light, so every band lies
    inside the slice's own outline (a band shrunk about the ring's centre and shifted by a fixed size left the
    outline where the ring is shallower than that size, and bridged the lumbar hollow in side views).
    """

    ring_a: np.ndarray
    ring_b: np.ndarray
    colour: RGB

    def polygon(self, cam: _Cam, s: float, light: np.ndarray) -> np.ndarray | None:
        pts = []
        for ring in (self.ring_a, self.ring_b):
            lit = ring[int(np.argmax(ring @ light))]
            pts.append(lit + (ring - lit) * s)
        p = cam.points(np.vstack(pts))
        if p is None:
            return None
        return cv2.convexHull(p.astype(np.float32)).reshape(-1, 2)

    def depth(self, cam: _Cam) -> float:
        return cam.depth(0.5 * (self.ring_a.mean(axis=0) + self.ring_b.mean(axis=0)))


def _ellipsoid_band(piece: _Ellipsoid, cam: _Cam, s: float, light: np.ndarray) -> np.ndarray | None:
    return cam.ellipsoid(piece.centre + (1 - s) * piece.extent(light) * light, piece.axes * s)


class _Cam:
    """Projection helpers bound to one camera."""

    def __init__(self, camera: Camera) -> None:
        self.camera = camera
        self.P = camera.projection
        self.P3, self.p4 = self.P[:, :3], self.P[:, 3]
        self.R = camera.rotation
        self.pos = np.asarray(camera.position_m, float)
        t = np.linspace(0, 2 * np.pi, 28, endpoint=False)
        self._circle = np.stack([np.cos(t), np.sin(t)])

    def depth(self, p: np.ndarray) -> float:
        return float(self.R[2] @ (p - self.pos))

    def points(self, pts: np.ndarray) -> np.ndarray | None:
        h = pts @ self.P3.T + self.p4
        if np.any(h[:, 2] < 0.05):
            return None
        return h[:, :2] / h[:, 2:3]

    def ellipsoid(self, centre: np.ndarray, axes: np.ndarray) -> np.ndarray | None:
        """Exact outline of an ellipsoid ``c + A u, |u| = 1``: its dual conic is ``C* = P Q* P^T``.

        With ``M = P3 A`` and ``h = P [c; 1]``, ``C* = M M^T - h h^T``; normalised so that ``C*[2, 2] = -1``
        it reads ``[[B B^T - m m^T, -m], [-m^T, -1]]`` for the image ellipse ``m + B (cos t, sin t)``.
        """
        h = self.P3 @ centre + self.p4
        m_ = self.P3 @ axes
        c = m_ @ m_.T - h[:, None] * h  # h h^T, as np.outer computes it
        if c[2, 2] >= 0:  # the camera is inside or beside the ellipsoid
            return None
        c = c / -c[2, 2]
        m = -c[:2, 2]
        a, b, d = c[0, 0] + m[0] * m[0], c[0, 1] + m[0] * m[1], c[1, 1] + m[1] * m[1]
        if a <= 0:
            return None
        l11 = np.sqrt(a)
        l21 = b / l11
        l22 = np.sqrt(max(d - l21 * l21, 0.0))
        cos_t, sin_t = self._circle
        out = np.empty((cos_t.size, 2))
        out[:, 0] = m[0] + l11 * cos_t
        out[:, 1] = m[1] + l21 * cos_t + l22 * sin_t
        return out


# ----------------------------------------------------------------------------- the figure's parts


@dataclass
class _Part:
    pieces: list
    depth: float
    draw_extra: object = None  # callable(img, cam) drawn after the pieces (the face)
    banded: bool = True


def _ring(
    frame: tuple[np.ndarray, np.ndarray],
    local_centre: Iterable[float],
    *,
    front: float,
    back: float,
    half_width: float,
    n: int = 24,
) -> np.ndarray:
    """A trunk cross-section: half-ellipses of depth ``front`` and ``back`` and half-width ``half_width``."""
    r, o = frame
    t = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    cos_t = np.cos(t)
    x = np.where(cos_t > 0, front, back) * cos_t
    z = half_width * np.sin(t)
    local = np.stack([x, np.zeros_like(x), z], axis=1) + np.asarray(list(local_centre), float)
    return o + local @ r.T


def _trunk_rings(fig: Figure) -> list[tuple[np.ndarray, str]]:
    """Cross-sections of the trunk from the crotch to the neck, with the garment each belongs to."""
    b = fig.body
    u, g = b.u, b.girth * b.u
    bt, bl, d = b.buttocks, b.belly, b.back_depth_m
    pelvis = fig.frames["pelvis"]
    rings = [
        (_ring(pelvis, (0.0, -0.10 * u, 0.0), front=0.085 * g, back=0.10 * g * bt, half_width=0.15 * g), "trousers"),
        (_ring(pelvis, (0.0, -0.04 * u, 0.0), front=0.10 * g, back=0.135 * g * bt, half_width=0.175 * g), "trousers"),
        (
            _ring(pelvis, (0.0, 0.015 * u, 0.0), front=0.11 * g * bl, back=0.125 * g * bt, half_width=0.17 * g),
            "trousers",
        ),
    ]
    sac_r, s1 = fig.frames["sacrum"]
    s2 = (sac_r, s1 - sac_r @ np.array([0.0, 0.04 * u, 0.0]))
    rings.append((_ring(s2, (0, 0, 0), front=0.15 * g * bl, back=d, half_width=0.165 * g), "trousers"))
    widths = (0.16, 0.15, 0.145, 0.145, 0.15, 0.15)
    fronts = (0.15, 0.148, 0.145, 0.14, 0.14, 0.145)
    for joint, w, f in zip(("L5S1", "L4L5", "L3L4", "L2L3", "L1L2", "T12L1"), widths, fronts):
        garment = "trousers" if joint == "L5S1" else "shirt"
        rings.append(
            (_ring(fig.frames[f"ring_{joint}"], (0, 0, 0), front=f * g * bl, back=d, half_width=w * g), garment)
        )
    low = fig.frames["thorax_lower"]
    rings.append((_ring(low, (0.0, 0.03 * u, 0.0), front=0.15 * g, back=d, half_width=0.152 * g), "shirt"))
    tl = b.thorax_length
    rings.append(
        (
            _ring(
                fig.frames["thorax_mid"],
                (0.0, 0.06 * u * tl, 0.0),
                front=0.16 * g,
                back=d + 0.01 * g,
                half_width=0.158 * g,
            ),
            "shirt",
        )
    )
    up = fig.frames["thorax_upper"]
    for y, f, bk, w in (
        (0.0, 0.155, 0.085, 0.165),
        (0.06, 0.14, 0.085, 0.172),
        (0.10, 0.11, 0.075, 0.17),
        (0.135, 0.06, 0.05, 0.085),
    ):
        rings.append((_ring(up, (0.02 * u, y * u * tl, 0.0), front=f * g, back=bk * g, half_width=w * g), "shirt"))
    return rings


def marker_points_m(fig: Figure) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Centre and outward normal (world) of each ASIS / PSIS sticker, ``{"left_asis": (c, n), ...}``.

    The stickers sit on the pelvis's side surface at the height of the ASIS-PSIS line (pelvis frame
    ``y = 0.085`` height/1.75), the ASIS one over the ASIS and the PSIS one 60 % of the soft-tissue depth in
    front of the sacrum's back surface (so a side camera sees it). Both lie on a line parallel to the
    ASIS-PSIS line: in a side view the line between them makes the figure's ``pelvic_tilt`` with horizontal.
    """
    b = fig.body
    u, g = b.u, b.girth * b.u
    rp, origin = fig.frames["pelvis"]
    half_w = 0.168 * g
    x_a = 0.055 * u
    x_p = -0.043 * u - 0.6 * b.back_depth_m
    out = {}
    for side, sign in (("left", -1.0), ("right", 1.0)):
        for name, x, reach in (("asis", x_a, 0.125 * g * b.belly), ("psis", x_p, 0.043 * u + b.back_depth_m)):
            z = half_w * np.sqrt(max(1.0 - (x / reach) ** 2, 0.09))
            normal = rp @ _unit_vec(np.array([x / reach**2, 0.0, sign * z / half_w**2]))
            out[f"{side}_{name}"] = (origin + rp @ np.array([x, 0.085 * u, sign * z]), normal)
    return out


def _unit_vec(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def _marker_parts(fig: Figure, cam: _Cam, app: Appearance, light: np.ndarray) -> list[_Part]:
    """One flat disc per sticker facing the camera, drawn in one shade set by its normal and the light (and cut
    by the shirt's hem when ``app.marker_hem_m`` is set: :func:`_hem_cut`)."""
    if app.marker_rgb is None:
        return []
    parts = []
    r = app.marker_radius_m
    for centre, normal in marker_points_m(fig).values():
        if float(np.dot(normal, cam.pos - centre)) <= 0:
            continue
        a = np.cross(normal, [0.0, 1.0, 0.0])
        a = _unit_vec(a) if np.linalg.norm(a) > 1e-6 else np.array([1.0, 0.0, 0.0])
        bvec = np.cross(normal, a)
        axes = np.column_stack([a * r, bvec * r, normal * 0.1 * r])
        lit = app.ambient + (1 - app.ambient) * (0.55 + 0.45 * max(float(np.dot(normal, light)), 0.0))
        colour = tuple(float(min(255.0, c * lit / 0.85)) for c in app.marker_rgb)
        cut = None if app.marker_hem_m is None else _hem_cut(fig, cam, centre, (a * r, bvec * r), app.marker_hem_m)
        parts.append(
            _Part(
                [_Ellipsoid(centre + normal * 0.002, axes, colour)],
                cam.depth(centre) - 0.02,
                draw_extra=cut,
                banded=False,
            )
        )
    return parts


def _hem_cut(fig: Figure, cam: _Cam, centre: np.ndarray, disc_axes, hem_m: float) -> tuple[np.ndarray, np.ndarray]:
    """The shirt's hem on a sticker's image: a point and a normal of the image line, the normal pointing to the
    covered side. The hem is the plane through the stickers' line raised ``hem_m`` along the L4/L5 ring's up
    axis and perpendicular to it."""
    rot, _ = fig.frames["ring_L4L5"]
    up = rot[:, 1]
    pts = marker_points_m(fig)
    near = [float(np.linalg.norm(pts[f"{s}_asis"][0] - cam.pos)) for s in ("left", "right")]
    side = ("left", "right")[int(np.argmin(near))]
    on_hem = 0.5 * (pts[f"{side}_asis"][0] + pts[f"{side}_psis"][0]) + hem_m * up
    a, b = disc_axes
    # points c + s a + t b of the sticker's plane on the hem plane, for s = -1 and s = 1
    ends = [centre + s * a + (np.dot(on_hem - centre, up) - s * np.dot(a, up)) / np.dot(b, up) * b for s in (-1.0, 1.0)]
    p0, p1 = cam.camera.project(np.array(ends))
    normal = np.array([-(p1 - p0)[1], (p1 - p0)[0]])
    above = cam.camera.project((0.5 * (ends[0] + ends[1]) + 0.01 * up)[None])[0]
    if np.dot(above - p0, normal) < 0:
        normal = -normal
    return p0, normal


def _clip_half_plane(poly: np.ndarray, point: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """The part of a convex polygon on the side of the line (``point``, ``normal``) that ``normal`` points away
    from (Sutherland-Hodgman, one edge)."""
    inside = (poly - point) @ normal <= 0
    out = []
    for k in range(len(poly)):
        p, q = poly[k], poly[(k + 1) % len(poly)]
        ip, iq = inside[k], inside[(k + 1) % len(poly)]
        if ip:
            out.append(p)
        if ip != iq:
            dp, dq = float((p - point) @ normal), float((q - point) @ normal)
            out.append(p + (q - p) * dp / (dp - dq))
    return np.array(out)


def _draw_marker(img: np.ndarray, part: _Part, cam: _Cam) -> None:
    piece = part.pieces[0]
    poly = cam.ellipsoid(piece.centre, piece.axes)
    if poly is not None and part.draw_extra is not None:
        poly = _clip_half_plane(poly, *part.draw_extra)
    if poly is not None and len(poly) >= 3:
        _fill(img, poly, piece.colour)


def _colours(app: Appearance) -> dict[str, RGB]:
    return {
        "trousers": app.trousers_rgb,
        "shirt": app.shirt_rgb,
        "skin": app.skin_rgb,
        "shoes": app.shoes_rgb,
        "hair": app.hair_rgb,
    }


def _loose_rings(rings: list[tuple[np.ndarray, str]]) -> list[tuple[np.ndarray, str]]:
    """A loose, untucked shirt: it hangs over the waist and the top of the pelvis (the ring at S1 and the one
    at L5/S1 become shirt) and stands 10 % off the body up to the chest; the trouser rings and the shoulder
    and collar rings (the last two) keep their size."""
    out = []
    for k, (ring, garment) in enumerate(rings):
        if 3 <= k < len(rings) - 2:
            c = ring.mean(axis=0)
            ring, garment = c + (ring - c) * 1.10, "shirt"
        out.append((ring, garment))
    return out


def _trunk_parts(fig: Figure, cam: _Cam, col: dict, clothing: str = "fitted") -> list[_Part]:
    """The trunk as two parts, trousers then shirt (drawn over the trousers' waist), each banded as one body."""
    rings = _trunk_rings(fig)
    if clothing == "loose":
        rings = _loose_rings(rings)
    depth = cam.depth(fig.points["hip_mid"] * 0.5 + fig.points["c7"] * 0.5)
    parts = []
    for k, garment in enumerate(("trousers", "shirt")):
        pieces = []
        for (ra, ga), (rb, gb) in zip(rings[:-1], rings[1:]):
            if gb == garment or (garment == "trousers" and ga == garment):
                pieces.append(_Slice(ra, rb, col[garment]))
        parts.append(_Part(pieces, depth - 1e-6 * k))
    return parts


def _leg_pieces(fig: Figure, side: str, col: dict, clothing: str) -> tuple[list, list, list[_Capsule]]:
    """Thigh pieces, shank pieces and the capsules that carry fold lines, for the clothing named."""
    p, g = fig.points, fig.body.girth * fig.body.u
    hip, knee, ankle = p[f"{side}_hip"], p[f"{side}_knee"], p[f"{side}_ankle"]
    calf_c = knee * 0.68 + ankle * 0.32
    leg = col["trousers"] if clothing != "shorts" else col["skin"]
    if clothing == "loose":  # wide legs that hang straight from the hip to a wide hem
        thigh = _Capsule(hip, 0.10 * g, knee, 0.082 * g, col["trousers"])
        shank = _Capsule(knee, 0.08 * g, ankle, 0.074 * g, col["trousers"])
        return [thigh], [shank], [thigh, shank]
    thigh = _Capsule(hip, 0.085 * g, knee, 0.056 * g, leg)
    shank = _Capsule(knee, 0.054 * g, ankle, 0.036 * g, leg)
    calf = _Capsule(knee * 0.9 + ankle * 0.1, 0.05 * g, calf_c, 0.05 * g, leg)
    if clothing == "shorts":  # loose shorts to mid-thigh over a bare thigh
        short_leg = _Capsule(hip, 0.098 * g, hip * 0.45 + knee * 0.55, 0.09 * g, col["trousers"])
        return [thigh, short_leg], [shank, calf], [short_leg]
    return [thigh], [shank, calf], []


def _fold_lines(capsules: list[_Capsule], colour_scale: float = 0.62):
    """A part's extra drawing: darker curved creases across each capsule at fixed places along it."""

    def draw(img: np.ndarray, cam: _Cam) -> None:
        for cap in capsules:
            ends = cam.points(np.vstack([cap.a, cap.b]))
            if ends is None:
                continue
            axis = ends[1] - ends[0]
            length = float(np.linalg.norm(axis))
            if length < 4:
                continue
            along = axis / length
            across = np.array([-along[1], along[0]])
            colour = np.array(cap.colour, float) * colour_scale
            for k, frac in enumerate((0.22, 0.48, 0.74, 0.9)):
                r_px = cam.camera.focal_px * (cap.ra + (cap.rb - cap.ra) * frac) / max(cam.depth(cap.a), 0.1)
                mid = ends[0] + axis * frac
                sag = along * r_px * (0.35 if k % 2 else -0.25)
                pts = np.array([mid - across * r_px * 0.8, mid + sag, mid + across * r_px * 0.7])
                pts = np.round(pts * (1 << _SHIFT)).astype(np.int32)
                cv2.polylines(img, [pts], False, tuple(int(v) for v in colour), 1, cv2.LINE_AA, _SHIFT)

    return draw


def _limb_parts(fig: Figure, cam: _Cam, col: dict, app: Appearance, clothing: str = "fitted") -> list[_Part]:
    p, g = fig.points, fig.body.girth * fig.body.u
    u = fig.body.u
    parts = []
    sleeve = col["shirt"] if app.sleeve == "long" else col["skin"]
    for side in SIDES:
        thigh_pieces, shank_pieces, folded = _leg_pieces(fig, side, col, clothing)
        rot, ankle = fig.frames[f"{side}_foot"]
        r = fig.body.shoe_radius_m
        shoe = _Capsule(p[f"{side}_heel_ball"], r, p[f"{side}_toe_ball"], r * 0.92, col["shoes"])
        instep = _Ellipsoid(
            ankle + rot @ np.array([0.045 * u, -0.012 * u, 0.0]),
            rot @ np.diag([0.085 * u, 0.042 * u, 0.045 * u]),
            col["shoes"],
        )
        mid = 0.5 * (p[f"{side}_shoulder"] + p[f"{side}_elbow"])
        upper_sleeve = _Capsule(p[f"{side}_shoulder"], 0.058 * g, mid, 0.046 * g, col["shirt"])
        upper = _Capsule(mid, 0.043 * g, p[f"{side}_elbow"], 0.037 * g, sleeve)
        fore = _Capsule(p[f"{side}_elbow"], 0.036 * g, p[f"{side}_wrist"], 0.026 * g, col["skin"])
        hand_dir = p[f"{side}_hand"] - p[f"{side}_wrist"]
        hand = _Ellipsoid(p[f"{side}_hand"], _hand_axes(fig, side, hand_dir, u), col["skin"])
        for pieces in (thigh_pieces, shank_pieces, [shoe, instep], [upper_sleeve, upper], [fore], [hand]):
            depth = float(np.mean([pc.depth(cam) for pc in pieces]))
            creased = [c for c in folded if any(c is pc for pc in pieces)]
            parts.append(_Part(pieces, depth, draw_extra=_fold_lines(creased) if creased else None))
    neck = _Capsule(p["c7"], 0.05 * g, p["neck_top"], 0.047 * g, col["skin"])
    parts.append(_Part([neck], cam.depth(fig.frames["head"][1]) + 1e-6))  # always just before the head
    if "dowel_left" in p:  # a held dowel: a thin wooden rod
        dowel = _Capsule(p["dowel_left"], 0.014 * u, p["dowel_right"], 0.014 * u, _DOWEL_RGB)
        parts.append(_Part([dowel], dowel.depth(cam)))
    return parts


def _hand_axes(fig: Figure, side: str, along: np.ndarray, u: float) -> np.ndarray:
    a = along / np.linalg.norm(along)
    lateral = fig.frames["thorax_upper"][0][:, 2]
    w = np.cross(a, lateral)
    w = w / np.linalg.norm(w) if np.linalg.norm(w) > 1e-6 else np.array([1.0, 0.0, 0.0])
    t = np.cross(a, w)
    return np.column_stack([a * 0.055 * u, w * 0.042 * u, t * 0.02 * u])


def _head_part(fig: Figure, cam: _Cam, col: dict) -> _Part:
    rot, centre = fig.frames["head"]
    u = fig.body.u
    head = _Ellipsoid(centre, rot @ np.diag([0.098 * u, 0.115 * u, 0.078 * u]), col["skin"])
    hair = _Ellipsoid(
        centre + rot @ np.array([-0.014 * u, 0.016 * u, 0.0]),
        rot @ np.diag([0.10 * u, 0.112 * u, 0.083 * u]),
        col["hair"],
    )
    to_cam = (cam.pos - centre) / np.linalg.norm(cam.pos - centre)
    hair_first = float(np.dot(rot[:, 0], to_cam)) > -0.5  # hair over the skin only when seen from behind
    pieces = [hair, head] if hair_first else [head, hair]

    def extra(img: np.ndarray, c: _Cam) -> None:
        _draw_face(img, c, fig, col)

    return _Part(pieces, cam.depth(centre), draw_extra=extra, banded=False)


def _facing(cam: _Cam, centre: np.ndarray, point: np.ndarray, threshold: float = 0.0) -> bool:
    n = point - centre
    v = cam.pos - point
    return float(np.dot(n, v) / (np.linalg.norm(n) * np.linalg.norm(v))) > threshold


def _face_features(fig: Figure, col: dict) -> list[tuple[str, np.ndarray, np.ndarray, RGB, float]]:
    """(name, surface point, axes, colour, visibility threshold) of each face feature, head frame."""
    rot, c = fig.frames["head"]
    u = fig.body.u
    skin = np.array(col["skin"], float)
    feats = []
    for side, s in (("left", -1.0), ("right", 1.0)):
        ear = c + rot @ np.array([-0.005 * u, 0.0, s * 0.076 * u])
        feats.append(
            ("ear", ear, rot @ np.diag([0.022 * u, 0.032 * u, 0.012 * u]), tuple(int(v) for v in skin * 0.85), 0.0)
        )
        eye = fig.points[f"{side}_eye"]
        feats.append(("eye", eye, rot @ np.diag([0.006 * u, 0.0085 * u, 0.013 * u]), (245, 245, 245), 0.15))
        feats.append(
            (
                "iris",
                eye + rot @ np.array([0.005 * u, 0.0, 0.0]),
                rot @ np.diag([0.004, 0.0065, 0.0065]) * u,
                (40, 30, 25),
                0.15,
            )
        )
        brow = eye + rot @ np.array([0.004 * u, 0.02 * u, 0.0])
        feats.append(("brow", brow, rot @ np.diag([0.005 * u, 0.0035 * u, 0.016 * u]), col["hair"], 0.1))
    feats.append(
        (
            "mouth",
            c + rot @ np.array([0.078 * u, -0.066 * u, 0.0]),
            rot @ np.diag([0.008 * u, 0.0055 * u, 0.022 * u]),
            (150, 60, 60),
            0.15,
        )
    )
    feats.append(
        (
            "nose",
            c + rot @ np.array([0.094 * u, -0.028 * u, 0.0]),
            rot @ np.diag([0.024 * u, 0.028 * u, 0.014 * u]),
            tuple(int(v) for v in skin * 0.93),
            -0.45,
        )
    )
    return feats


def _draw_face(img: np.ndarray, cam: _Cam, fig: Figure, col: dict) -> None:
    centre = fig.frames["head"][1]
    for _name, p, axes, colour, threshold in _face_features(fig, col):
        if not _facing(cam, centre, p, threshold):
            continue
        poly = cam.ellipsoid(p, axes)
        if poly is not None:
            _fill(img, poly, colour)


# ----------------------------------------------------------------------------- drawing


def _fill(img: np.ndarray, poly: np.ndarray, colour: Iterable[float]) -> None:
    pts = np.round(poly * (1 << _SHIFT)).astype(np.int32)
    cv2.fillPoly(img, [pts], tuple(int(v) for v in colour), cv2.LINE_AA, _SHIFT)


def _light_vector(cam: _Cam, app: Appearance) -> np.ndarray:
    """World direction towards the light: above, towards the camera, from the image side named."""
    right, down, fwd = cam.R
    side = -1.0 if app.light_from == "left" else 1.0
    v = side * 0.55 * right - 0.6 * down - 0.55 * fwd
    return v / np.linalg.norm(v)


def _band_polygon(piece, cam: _Cam, s: float, light: np.ndarray) -> np.ndarray | None:
    if isinstance(piece, _Ellipsoid):
        return _ellipsoid_band(piece, cam, s, light)
    return piece.polygon(cam, s, light)


def _draw_part(img: np.ndarray, part: _Part, cam: _Cam, light: np.ndarray, ambient: float) -> None:
    """Fill a part's pieces band by band (banded: all pieces per band, so they merge into one body)."""

    def fill(piece, s: float, shade: float) -> None:
        poly = _band_polygon(piece, cam, s, light)
        if poly is not None:
            _fill(img, poly, np.array(piece.colour) * (ambient + (1 - ambient) * shade))

    if part.banded:
        for s, shade in zip(_BAND_SCALE, _BAND_SHADE):
            for piece in part.pieces:
                fill(piece, s, shade)
    else:
        for piece in part.pieces:
            for s, shade in zip(_BAND_SCALE, _BAND_SHADE):
                fill(piece, s, shade)
    if part.draw_extra is not None:
        part.draw_extra(img, cam)


def _draw_floor(img: np.ndarray, cam: _Cam, app: Appearance, floor_y_m: float) -> None:
    right = cam.R[0].copy()
    fwd = cam.R[2].copy()
    right[1] = 0.0
    fwd[1] = 0.0
    right /= np.linalg.norm(right)
    fwd /= np.linalg.norm(fwd)
    base = cam.pos.copy()
    base[1] = floor_y_m
    corners = [base + fwd * z + right * x for z, x in ((0.6, -40.0), (0.6, 40.0), (80.0, 40.0), (80.0, -40.0))]
    poly = cam.points(np.array(corners))
    if poly is not None:
        _fill(img, poly, app.floor_rgb)


def _draw_shadow(img: np.ndarray, cam: _Cam, fig: Figure, app: Appearance, floor_y_m: float) -> None:
    shade = np.array(app.floor_rgb, float) * 0.82
    centre = fig.points["hip_mid"].copy()
    centre[1] = floor_y_m + 0.001
    h = fig.heading
    axes = np.column_stack([h[:, 0] * 0.32, np.array([0.0, 1e-4, 0.0]), h[:, 2] * 0.24]) * fig.body.u
    poly = cam.ellipsoid(centre, axes)
    if poly is not None:
        _fill(img, poly, shade)


def _draw_prop(img: np.ndarray, cam: _Cam, prop: Prop, light: np.ndarray) -> None:
    c, s = np.asarray(prop.centre_m, float), 0.5 * np.asarray(prop.size_m, float)
    corners = np.array([c + s * np.array([i, j, k]) for i in (-1, 1) for j in (-1, 1) for k in (-1, 1)])
    faces = {  # outward normal: corner indices
        (1, 0, 0): (4, 5, 7, 6),
        (-1, 0, 0): (0, 1, 3, 2),
        (0, 1, 0): (2, 3, 7, 6),
        (0, -1, 0): (0, 1, 5, 4),
        (0, 0, 1): (1, 3, 7, 5),
        (0, 0, -1): (0, 2, 6, 4),
    }
    for normal, idx in faces.items():
        n = np.array(normal, float)
        centre = corners[list(idx)].mean(axis=0)
        if np.dot(n, cam.pos - centre) <= 0:
            continue
        poly = cam.points(corners[list(idx)])
        if poly is not None:
            shade = 0.65 + 0.35 * max(float(np.dot(n, light)), 0.0)
            _fill(img, poly, np.array(prop.colour_rgb) * shade)


def render_background(
    camera: Camera, appearance: Appearance | None = None, *, props: tuple[Prop, ...] = (), draw_floor: bool = True
) -> np.ndarray:
    """What :func:`render_figure` draws before the figure: the background colour, the floor plane at ``y = 0``
    and the props, RGB ``uint8`` ``(height_px, width_px, 3)`` (the same for every frame of a fixed camera)."""
    app = appearance or Appearance()
    cam = _Cam(camera)
    img = np.empty((camera.height_px, camera.width_px, 3), np.uint8)
    img[:] = app.background_rgb
    light = _light_vector(cam, app)
    if draw_floor:
        _draw_floor(img, cam, app, 0.0)
    for prop in props:
        _draw_prop(img, cam, prop, light)
    return img


def render_figure(
    fig: Figure,
    camera: Camera,
    appearance: Appearance | None = None,
    *,
    props: tuple[Prop, ...] = (),
    floor_y_m: float = 0.0,
    draw_floor: bool = True,
    clothing: Literal["fitted", "loose", "shorts"] = "fitted",
    background: np.ndarray | None = None,
) -> np.ndarray:
    """Render one figure to an RGB image ``(height_px, width_px, 3)`` of ``uint8``.

    Parameters
    ----------
    fig : Figure
        From :func:`movelab.synth.skeleton.forward_kinematics`.
    camera : Camera
    appearance : Appearance, optional
    props : tuple of Prop
        Boxes drawn behind the figure (a treadmill, a plinth).
    floor_y_m : float
        Height of the floor the figure stands on (its shadow falls there).
    draw_floor : bool
        Draw the floor plane at ``y = 0`` (else only the background colour).
    clothing : {"fitted", "loose", "shorts"}
        The mannequin's tight clothes, or loose trousers and an untucked shirt with creases, or loose shorts
        to mid-thigh over bare legs (:class:`movelab.synth.realism.Realism`).
    background : ndarray, optional
        :func:`render_background` of the same camera, appearance, props and ``draw_floor`` (drawn once for a
        clip's many renders; the result is the same image as without it).
    """
    if clothing not in ("fitted", "loose", "shorts"):
        raise ConfigError(f"clothing must be 'fitted', 'loose' or 'shorts', got {clothing!r}")
    app = appearance or Appearance()
    cam = _Cam(camera)
    light = _light_vector(cam, app)
    if background is None:
        img = render_background(camera, app, props=props, draw_floor=draw_floor)
    else:
        img = background.copy()
    _draw_shadow(img, cam, fig, app, floor_y_m)
    col = _colours(app)
    parts = _trunk_parts(fig, cam, col, clothing) + [_head_part(fig, cam, col)]
    parts += _limb_parts(fig, cam, col, app, clothing)
    markers = _marker_parts(fig, cam, app, light)
    for part in sorted(parts + markers, key=lambda prt: -prt.depth):
        if any(part is m for m in markers):
            _draw_marker(img, part, cam)
        else:
            _draw_part(img, part, cam, light, app.ambient)
    return cv2.GaussianBlur(img, (3, 3), 0.6)  # soften the shading bands, as a lens would
