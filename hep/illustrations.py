"""hep's own pictures of its built-in exercises: a line figure drawn from joint angles (the
poses in data/poses.json), its start position faint and its end position solid, moving between
them where motion matters, with the ball, band, wall, chair or mat where they go."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from flask import Blueprint, Flask, Response, abort, request

WIDTH, HEIGHT = 240, 200
FLOOR = 186.0
# segment lengths of the figure (viewBox units; about 160 tall standing)
TORSO, NECK, HEAD_R = 50.0, 6.0, 10.0
UPPER_ARM, FOREARM = 27.0, 25.0
THIGH, SHIN, FOOT = 40.0, 38.0, 11.0
SHOULDER_HALF, HIP_HALF = 12.0, 7.0
STEPS = 8
"""Frames between two positions: angles are eased through these, so limbs keep their length."""
SECONDS = 5.0

INK = "#1f5f8b"
FAR = "#8fb3cc"
GHOST = "#c5d0d8"
PROP = "#d9822b"
FURNITURE = "#9aa5ad"


def _vec(angle: float) -> tuple[float, float]:
    """The unit vector of an absolute angle: 0 points down, 90 forward (right), 180 up."""
    rad = math.radians(angle)
    return math.sin(rad), math.cos(rad)


def _add(p: tuple[float, float], angle: float, length: float) -> tuple[float, float]:
    dx, dy = _vec(angle)
    return p[0] + dx * length, p[1] + dy * length


Point = tuple[float, float]


@dataclass(frozen=True)
class Body:
    """Where every named point of the figure is, in one position."""

    view: str
    points: dict[str, Point]
    head_angle: float
    turn: float
    nod: float
    face: str
    """front (the usual side), back (flipped: lying turned over), or none (seen from behind)."""


def _pose(data: dict[str, Any], bases: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    if "base" in data:
        merged.update(_pose(bases[data["base"]], bases))
    merged.update({k: v for k, v in data.items() if k != "base"})
    return merged


def _body(pose: dict[str, Any]) -> Body:
    """Forward kinematics from the hip: torso, neck and head, two arms, two legs."""
    view = pose.get("view", "side")
    torso = float(pose.get("torso", 180))
    hip: Point = (0.0, 0.0)
    neck = _add(hip, torso, TORSO * float(pose.get("torso_s", 1)))
    head_angle = float(pose.get("head", torso))
    head = _add(neck, head_angle, NECK + HEAD_R)
    points: dict[str, Point] = {"hip": hip, "neck": neck, "head": head}
    across = torso + 90  # in a front view, shoulders and hips spread across the torso
    # a front view: 1 is the figure's right (on the left of the picture), 2 its left
    for n, side in ((1, 1), (2, -1)):
        if view == "front":
            shoulder = _add(neck, across, side * SHOULDER_HALF)
        else:  # the shoulder sits a little below the base of the neck
            shoulder = _add(neck, torso + 180, 5)
        hip_n = _add(hip, across, side * HIP_HALF) if view == "front" else hip
        upper, fore = pose.get(f"a{n}", [0, 0])
        upper_s, fore_s = pose.get(f"a{n}s", [1, 1])
        elbow = _add(shoulder, upper, UPPER_ARM * upper_s)
        hand = _add(elbow, fore, FOREARM * fore_s)
        thigh, shin, foot = pose.get(f"l{n}", [0, 0, 90])
        thigh_s, shin_s, foot_s = pose.get(f"l{n}s", [1, 1, 1])
        knee = _add(hip_n, thigh, THIGH * thigh_s)
        ankle = _add(knee, shin, SHIN * shin_s)
        toe = _add(ankle, foot, FOOT * foot_s)
        points.update(
            {
                f"sh{n}": shoulder,
                f"el{n}": elbow,
                f"ha{n}": hand,
                f"hp{n}": hip_n,
                f"kn{n}": knee,
                f"an{n}": ankle,
                f"to{n}": toe,
            }
        )
    front = torso - 90  # the belly side of a side view
    points["belly"] = _add(_add(hip, torso, TORSO * 0.3), front, 7)
    points["chest"] = _add(_add(hip, torso, TORSO * 0.75), front, 6)
    points["back"] = _add(_add(hip, torso, TORSO * 0.7), front, -5)
    points["lowback"] = _add(_add(hip, torso, TORSO * 0.2), front, -5)
    # the spine bends by `arch` (toward the back when positive), as a curve through this
    points["arch"] = _add(_add(hip, torso, TORSO * 0.5), front, -float(pose.get("arch", 0)) * 2)
    if "y" in pose:  # seen from above: placed, not standing on anything
        shift_y = float(pose["y"])
    else:  # the body rests on the floor (or on what `ground` lifts it by)
        lowest = max(max(y for x, y in points.values()), head[1] + HEAD_R)
        shift_y = FLOOR - float(pose.get("ground", 0)) - lowest
    shift_x = float(pose.get("x", 0))
    moved = {k: (x + shift_x, y + shift_y) for k, (x, y) in points.items()}
    return Body(
        view,
        moved,
        head_angle,
        float(pose.get("turn", 0)),
        float(pose.get("nod", 0)),
        str(pose.get("face", "front")),
    )


def _ease(u: float) -> float:
    return (1 - math.cos(math.pi * u)) / 2


ANGLES = frozenset({"torso", "head", "a1", "a2", "l1", "l2"})


def _turn(start: float, end: float) -> float:
    """The shorter way round from one angle to another."""
    return ((end - start + 180) % 360) - 180


def _between(a: dict[str, Any], b: dict[str, Any], t: float) -> dict[str, Any]:
    """A position part of the way from a to b: every value eased by the same fraction, angles
    the shorter way round."""
    out = dict(b)
    for key, value in b.items():
        start = a.get(key, value)
        if key in ANGLES and isinstance(value, list):
            out[key] = [s + _turn(s, e) * t for s, e in zip(start, value, strict=True)]
        elif key in ANGLES:
            out[key] = start + _turn(start, value) * t
        elif isinstance(value, list):
            out[key] = [s + (e - s) * t for s, e in zip(start, value, strict=True)]
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out[key] = start + (value - start) * t
    return out


def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _pt(p: Point) -> str:
    return f"{_fmt(p[0])},{_fmt(p[1])}"


def _figure_paths(body: Body) -> dict[str, str]:
    """The figure as a few paths (same commands in every position, so they can morph)."""
    p = body.points
    paths = {
        "spine": f"M{_pt(p['hip'])}Q{_pt(p['arch'])} {_pt(p['neck'])}",
        "arm1": f"M{_pt(p['sh1'])}L{_pt(p['el1'])}L{_pt(p['ha1'])}",
        "arm2": f"M{_pt(p['sh2'])}L{_pt(p['el2'])}L{_pt(p['ha2'])}",
        "leg1": f"M{_pt(p['hp1'])}L{_pt(p['kn1'])}L{_pt(p['an1'])}L{_pt(p['to1'])}",
        "leg2": f"M{_pt(p['hp2'])}L{_pt(p['kn2'])}L{_pt(p['an2'])}L{_pt(p['to2'])}",
    }
    if body.view == "front":
        paths["spine"] += f"M{_pt(p['sh1'])}L{_pt(p['sh2'])}M{_pt(p['hp1'])}L{_pt(p['hp2'])}"
    head = p["head"]
    if body.face == "none":
        paths["face"] = f"M{_pt(head)}"
    elif body.view == "side":
        # the face looks forward of the head's direction: a short nose
        face = body.head_angle - 90 if body.face == "front" else body.head_angle + 90
        nose = _add(head, face, HEAD_R + 3.5)
        base = _add(head, face, HEAD_R - 1)
        paths["face"] = f"M{_pt(base)}L{_pt(nose)}"
    else:
        shift = math.sin(math.radians(body.turn)) * 5
        up = body.head_angle
        centre = _add(_add(head, up + 90, shift), up, 2 - body.nod)
        eye1 = _add(centre, up + 90, -3.5)
        eye2 = _add(centre, up + 90, 3.5)
        paths["face"] = f"M{_pt(eye1)}l0.1,0M{_pt(eye2)}l0.1,0"
    return paths


def _at(spec: dict[str, Any], body: Body) -> Point:
    base = body.points[spec["at"]] if "at" in spec else (0.0, FLOOR)
    return base[0] + float(spec.get("dx", 0)), base[1] + float(spec.get("dy", 0))


def _prop(spec: dict[str, Any], body: Body, anchor: Body) -> tuple[str, dict[str, str]]:
    """(element, {attribute: value}) of one prop in one position (`anchor`: the first
    position, which a fixed end is placed by)."""
    kind = spec["type"]
    if kind in ("ball", "roller"):
        x, y = _at(spec, body)
        r = float(spec.get("r", 6 if kind == "ball" else 8))
        if spec.get("floor"):
            y = FLOOR - r
        return "circle", {"cx": _fmt(x), "cy": _fmt(y), "r": _fmt(r)}
    if kind in ("band", "towel"):
        start = _at({"at": spec["from"], "dx": spec.get("fdx", 0), "dy": spec.get("fdy", 0)}, body)
        if isinstance(spec["to"], str):
            end = _at({"at": spec["to"], "dx": spec.get("tdx", 0), "dy": spec.get("tdy", 0)}, body)
        else:  # a fixed point, placed by the first position
            dx, dy = spec["to"]
            end = _at({"at": spec.get("to_at", "hip"), "dx": dx, "dy": dy}, anchor)
        return "path", {"d": f"M{_pt(start)}L{_pt(end)}"}
    raise ValueError(f"unknown moving prop {kind}")


STATIC_PROPS = {
    "wall",
    "post",
    "chair",
    "mat",
    "step",
    "towel_roll",
    "desk",
    "arrow",
    "loop",
    "backdrop",
    "box",
    "strip",
    "mat_top",
}


def _static_prop(spec: dict[str, Any], body: Body) -> str:
    kind = spec["type"]
    x, y = _at(spec, body)
    if kind == "wall":
        return (
            f'<path d="M{_fmt(x)},{_fmt(FLOOR)}V18" stroke="{FURNITURE}" stroke-width="5" '
            'stroke-linecap="butt"/>'
        )
    if kind == "post":  # a door frame seen from the side
        return (
            f'<rect x="{_fmt(x - 4)}" y="14" width="8" height="{_fmt(FLOOR - 14)}" '
            f'fill="{FURNITURE}"/>'
        )
    if kind == "chair":
        w, facing = float(spec.get("w", 34)), float(spec.get("facing", 1))
        seat_y = y
        back_x = x - facing * w / 2
        front_x = x + facing * w / 2
        parts = [
            f"M{_fmt(back_x)},{_fmt(seat_y)}H{_fmt(front_x)}",
            f"M{_fmt(front_x - facing * 2)},{_fmt(seat_y)}V{_fmt(FLOOR)}",
            f"M{_fmt(back_x + facing * 2)},{_fmt(seat_y)}V{_fmt(FLOOR)}",
        ]
        if spec.get("back", True):
            parts.append(f"M{_fmt(back_x + facing * 2)},{_fmt(seat_y)}V{_fmt(seat_y - 42)}")
        return (
            f'<path d="{"".join(parts)}" stroke="{FURNITURE}" stroke-width="4" fill="none" '
            'stroke-linecap="round"/>'
        )
    if kind == "mat":
        left, right = x - float(spec.get("w", 180)) / 2, x + float(spec.get("w", 180)) / 2
        return (
            f'<rect x="{_fmt(left)}" y="{_fmt(FLOOR - 1)}" width="{_fmt(right - left)}" '
            f'height="5" rx="2.5" fill="#9ccfb6"/>'
        )
    if kind == "mat_top":  # a mat seen from above
        w, h = float(spec.get("w", 200)), float(spec.get("h", 90))
        return (
            f'<rect x="{_fmt(x - w / 2)}" y="{_fmt(y - h / 2)}" width="{_fmt(w)}" '
            f'height="{_fmt(h)}" rx="8" fill="#dcefe5"/>'
        )
    if kind == "backdrop":  # a wall behind a figure seen from the front
        return (
            f'<rect x="{_fmt(x - 60)}" y="20" width="120" height="{_fmt(FLOOR - 20)}" '
            'fill="#eef1f3"/>'
        )
    if kind == "strip":  # a towel flat on the floor
        w = float(spec.get("w", 40))
        return (
            f'<rect x="{_fmt(x - w / 2)}" y="{_fmt(FLOOR - 3)}" width="{_fmt(w)}" height="4" '
            f'rx="2" fill="{PROP}"/>'
        )
    if kind == "box":  # breathing in fours: a square traced round
        r = float(spec.get("r", 16))
        return (
            f'<path d="M{_fmt(x - r)},{_fmt(y + r)}V{_fmt(y - r)}H{_fmt(x + r)}V{_fmt(y + r)}'
            f"H{_fmt(x - r + 6)}M{_fmt(x - r + 11)},{_fmt(y + r - 5)}L{_fmt(x - r + 5)},"
            f'{_fmt(y + r)}L{_fmt(x - r + 11)},{_fmt(y + r + 5)}" stroke="{PROP}" '
            'stroke-width="2.5" fill="none" stroke-linecap="round" stroke-linejoin="round"/>'
        )
    if kind == "step":
        w, h = float(spec.get("w", 40)), float(spec.get("h", 14))
        return (
            f'<rect x="{_fmt(x - w / 2)}" y="{_fmt(FLOOR - h)}" width="{_fmt(w)}" '
            f'height="{_fmt(h)}" fill="{FURNITURE}"/>'
        )
    if kind == "towel_roll":
        return (
            f'<rect x="{_fmt(x - 12)}" y="{_fmt(y - 4)}" width="24" height="8" rx="4" '
            f'fill="{PROP}"/>'
        )
    if kind == "desk":
        w = float(spec.get("w", 50))
        return (
            f'<path d="M{_fmt(x)},{_fmt(y)}h{_fmt(w)}M{_fmt(x + w - 6)},{_fmt(y)}V{_fmt(FLOOR)}'
            f"M{_fmt(x + w * 0.55)},{_fmt(y)}v-4M{_fmt(x + w * 0.35)},{_fmt(y - 4)}"
            f'h{_fmt(w * 0.4)}v-26h{_fmt(-w * 0.4)}z" stroke="{FURNITURE}" stroke-width="3.5" '
            'fill="none" stroke-linejoin="round"/>'
        )
    if kind == "arrow":
        (x1, y1), (cx, cy), (x2, y2) = ((x + a, y + b) for a, b in spec["path"])
        angle = math.atan2(y2 - cy, x2 - cx)
        head = [
            (x2 - 7 * math.cos(angle - 0.5), y2 - 7 * math.sin(angle - 0.5)),
            (x2 - 7 * math.cos(angle + 0.5), y2 - 7 * math.sin(angle + 0.5)),
        ]
        return (
            f'<path d="M{_fmt(x1)},{_fmt(y1)}Q{_fmt(cx)},{_fmt(cy)} {_fmt(x2)},{_fmt(y2)}'
            f'M{_pt(head[0])}L{_fmt(x2)},{_fmt(y2)}L{_pt(head[1])}" stroke="{PROP}" '
            'stroke-width="2.5" fill="none" stroke-linecap="round" stroke-linejoin="round"/>'
        )
    if kind == "loop":  # a circling movement around a point
        r = float(spec.get("r", 14))
        end = (x + r * math.cos(math.radians(-60)), y + r * math.sin(math.radians(-60)))
        start = (x + r * math.cos(math.radians(-110)), y + r * math.sin(math.radians(-110)))
        tip = [
            (end[0] - 6, end[1] - 4),
            (end[0] - 1, end[1] + 6),
        ]
        return (
            f'<path d="M{_pt(start)}A{_fmt(r)},{_fmt(r)} 0 1 0 {_pt(end)}'
            f'M{_pt(tip[0])}L{_pt(end)}L{_pt(tip[1])}" stroke="{PROP}" stroke-width="2.5" '
            'fill="none" stroke-linecap="round" stroke-linejoin="round"/>'
        )
    raise ValueError(f"unknown prop {kind}")


def _draw_figure(body: Body, colour: str, far: str, extra: str = "") -> str:
    paths = _figure_paths(body)
    out = []
    for name in ("arm2", "leg2"):
        out.append(f'<path d="{paths[name]}" stroke="{far}"{extra}/>')
    for name in ("leg1", "spine", "arm1"):
        out.append(f'<path d="{paths[name]}" stroke="{colour}"{extra}/>')
    head = body.points["head"]
    out.append(
        f'<circle cx="{_fmt(head[0])}" cy="{_fmt(head[1])}" r="{_fmt(HEAD_R)}" '
        f'fill="#fff" stroke="{colour}"{extra}/>'
    )
    out.append(f'<path d="{paths["face"]}" stroke="{colour}" stroke-width="3"{extra}/>')
    return "".join(out)


def _animate(attribute: str, values: list[str], times: str) -> str:
    return (
        f'<animate attributeName="{attribute}" dur="{_fmt(SECONDS)}s" repeatCount="indefinite" '
        f'calcMode="linear" keyTimes="{times}" values="{";".join(values)}"/>'
    )


def _frames(positions: list[dict[str, Any]]) -> tuple[list[Body], list[float]]:
    """Bodies through a cycle of positions (back to the first), each held a moment, with
    the key time of each frame."""
    bodies: list[Body] = []
    times: list[float] = []
    legs = len(positions)
    hold = 0.35 / legs
    move = 0.65 / legs
    for n in range(legs):
        a, b = positions[n], positions[(n + 1) % legs]
        base = n * (hold + move)
        bodies.append(_body(a))
        times.append(base)
        for step in range(STEPS + 1):
            bodies.append(_body(_between(a, b, _ease(step / STEPS))))
            times.append(base + hold + move * step / STEPS)
    times[-1] = 1.0
    return bodies, times


def _fit(bodies: list[Body]) -> str:
    """A transform that fits every position (and the floor) in the picture."""
    xs = [x for body in bodies for x, _ in body.points.values()]
    ys = [y for body in bodies for _, y in body.points.values()]
    ys += [body.points["head"][1] - HEAD_R for body in bodies]
    left, right = min(xs) - HEAD_R - 14, max(xs) + HEAD_R + 14
    top = min(ys) - 10
    scale = min(1.0, WIDTH / (right - left), (FLOOR - 8) / (FLOOR - top))
    centre = (left + right) / 2
    dx = WIDTH / 2 - centre * scale
    dy = FLOOR - FLOOR * scale  # the floor stays where it is
    return f"translate({_fmt(dx)},{_fmt(dy)}) scale({_fmt(scale)})"


def render(slug: str, *, still: bool = False) -> str:
    """The SVG of a built-in exercise; `still` leaves the motion out (reduced motion)."""
    data = _poses()
    spec = data["exercises"].get(slug)
    if spec is None:
        raise KeyError(slug)
    positions = [_pose(p, data["bases"]) for p in spec["positions"]]
    first = _body(positions[0])
    last = _body(positions[-1])
    bodies, times = _frames(positions) if len(positions) > 1 else ([first], [0.0])
    props = spec.get("props", [])
    parts: list[str] = []
    for prop in props:
        if prop["type"] in STATIC_PROPS:
            anchor = _body(positions[int(prop.get("position", 0))])
            parts.append(_static_prop(prop, anchor))
    moving = [p for p in props if p["type"] not in STATIC_PROPS]
    line = 'fill="none" stroke-width="7" stroke-linecap="round" stroke-linejoin="round"'
    figure: list[str] = []
    if len(positions) > 1 and spec.get("ghost", True):
        # the start position, faint, behind the moving (or, still, the end) position
        figure.append(f"<g {line}>{_draw_figure(first, GHOST, GHOST)}</g>")
    animated = len(positions) > 1 and not still
    shown = bodies[0] if animated else last
    props_drawn = []
    for prop in moving:
        element, attrs = _prop(prop, shown, first)
        colour = PROP
        width = "4" if prop["type"] in ("band", "towel") else "0"
        style = (
            f'fill="{colour if element == "circle" else "none"}" stroke="{colour}" '
            f'stroke-width="{width}" stroke-linecap="round"'
        )
        if prop.get("fixed"):
            _, attrs = _prop(prop, _body(positions[int(prop.get("position", 0))]), first)
        inner = ""
        if animated and not prop.get("fixed"):
            key_times = ";".join(_fmt(t) if t else "0" for t in times)
            for attribute in attrs:
                if attribute == "r":
                    continue
                values = [_prop(prop, body, first)[1][attribute] for body in bodies]
                inner += _animate(attribute, values, key_times)
        attr_text = " ".join(f'{k}="{v}"' for k, v in attrs.items())
        props_drawn.append(f"<{element} {attr_text} {style}>{inner}</{element}>")
    if animated:
        key_times = ";".join("0" if not t else f"{t:.4f}".rstrip("0") for t in times)
        figure.append(f"<g {line}>{_animated_figure(bodies, key_times)}</g>")
    else:
        figure.append(f"<g {line}>{_draw_figure(shown, INK, FAR)}</g>")
    fit = _fit([*bodies, first, last])
    title = _names().get(slug, slug)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{_escape(title)}">'
        f"<title>{_escape(title)}</title>"
        f'<g transform="{fit}">'
        + (
            f'<path d="M-400,{_fmt(FLOOR + 2)}H800" stroke="#dde3e7" stroke-width="3"/>'
            if spec.get("floor", True)
            else ""
        )
        + "".join(parts)
        + "".join(figure)
        + "".join(props_drawn)
        + "</g></svg>"
    )


def _animated_figure(bodies: list[Body], key_times: str) -> str:
    frames = [_figure_paths(body) for body in bodies]
    out = []
    colours = {"arm2": FAR, "leg2": FAR, "leg1": INK, "spine": INK, "arm1": INK}
    for name in ("arm2", "leg2", "leg1", "spine", "arm1"):
        values = [f[name] for f in frames]
        out.append(
            f'<path d="{values[0]}" stroke="{colours[name]}">'
            f"{_animate('d', values, key_times)}</path>"
        )
    heads = [body.points["head"] for body in bodies]
    out.append(
        f'<circle cx="{_fmt(heads[0][0])}" cy="{_fmt(heads[0][1])}" r="{_fmt(HEAD_R)}" '
        f'fill="#fff" stroke="{INK}">'
        + _animate("cx", [_fmt(h[0]) for h in heads], key_times)
        + _animate("cy", [_fmt(h[1]) for h in heads], key_times)
        + "</circle>"
    )
    faces = [f["face"] for f in frames]
    out.append(
        f'<path d="{faces[0]}" stroke="{INK}" stroke-width="3">'
        f"{_animate('d', faces, key_times)}</path>"
    )
    return "".join(out)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


@cache
def _poses() -> dict[str, Any]:
    text = (resources.files("hep") / "data" / "poses.json").read_text(encoding="utf-8")
    found: dict[str, Any] = json.loads(text)
    return found


@cache
def _names() -> dict[str, str]:
    text = (resources.files("hep") / "data" / "exercises.json").read_text(encoding="utf-8")
    return {e["slug"]: e["name"] for e in json.loads(text)["exercises"]}


def slugs() -> list[str]:
    return sorted(_poses()["exercises"])


@cache
def _rendered(slug: str, still: bool) -> str:
    return render(slug, still=still)


def illustration_url(exercise: Any) -> str | None:
    """Where a built-in exercise's picture is served (None for exercises without one)."""
    slug = getattr(exercise, "slug", None)
    if slug is None or slug not in _poses()["exercises"]:
        return None
    return f"/illustrations/{slug}.svg"


blp = Blueprint("illustrations", __name__)


@blp.get("/illustrations/<slug>.svg")
def illustration(slug: str) -> Response:
    """A built-in exercise's picture; `?still=1` without motion (for reduced motion)."""
    still = request.args.get("still") == "1"
    try:
        svg = _rendered(slug, still)
    except KeyError:
        abort(404)
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    # a picture, never a page: no scripts, no loads of its own
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.add_etag()
    response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(blp)
