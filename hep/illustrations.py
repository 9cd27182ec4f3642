"""hep's own pictures of its built-in exercises: a line figure (hep.figures) in the positions
of data/poses.json, its start position faint and its end position solid, moving between them
where motion matters, with the ball, band, wall, chair or mat where they go."""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from typing import Any

from flask import Blueprint, Flask, Response, abort, request

from hep.figures import (
    FAR,
    FLOOR,
    GHOST,
    HEIGHT,
    INK,
    WIDTH,
    Body,
    Point,
    animate,
    body_at,
    draw,
    draw_moving,
    fit,
    fmt,
    frames,
    merged_pose,
    pt,
)

PROP = "#d9822b"
FURNITURE = "#9aa5ad"


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
        return "circle", {"cx": fmt(x), "cy": fmt(y), "r": fmt(r)}
    if kind in ("band", "towel"):
        start = _at({"at": spec["from"], "dx": spec.get("fdx", 0), "dy": spec.get("fdy", 0)}, body)
        if isinstance(spec["to"], str):
            end = _at({"at": spec["to"], "dx": spec.get("tdx", 0), "dy": spec.get("tdy", 0)}, body)
        else:  # a fixed point, placed by the first position
            dx, dy = spec["to"]
            end = _at({"at": spec.get("to_at", "hip"), "dx": dx, "dy": dy}, anchor)
        return "path", {"d": f"M{pt(start)}L{pt(end)}"}
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
            f'<path d="M{fmt(x)},{fmt(FLOOR)}V18" stroke="{FURNITURE}" stroke-width="5" '
            'stroke-linecap="butt"/>'
        )
    if kind == "post":  # a door frame seen from the side
        return (
            f'<rect x="{fmt(x - 4)}" y="14" width="8" height="{fmt(FLOOR - 14)}" '
            f'fill="{FURNITURE}"/>'
        )
    if kind == "chair":
        w, facing = float(spec.get("w", 34)), float(spec.get("facing", 1))
        seat_y = y
        back_x = x - facing * w / 2
        front_x = x + facing * w / 2
        parts = [
            f"M{fmt(back_x)},{fmt(seat_y)}H{fmt(front_x)}",
            f"M{fmt(front_x - facing * 2)},{fmt(seat_y)}V{fmt(FLOOR)}",
            f"M{fmt(back_x + facing * 2)},{fmt(seat_y)}V{fmt(FLOOR)}",
        ]
        if spec.get("back", True):
            parts.append(f"M{fmt(back_x + facing * 2)},{fmt(seat_y)}V{fmt(seat_y - 42)}")
        return (
            f'<path d="{"".join(parts)}" stroke="{FURNITURE}" stroke-width="4" fill="none" '
            'stroke-linecap="round"/>'
        )
    if kind == "mat":
        left, right = x - float(spec.get("w", 180)) / 2, x + float(spec.get("w", 180)) / 2
        return (
            f'<rect x="{fmt(left)}" y="{fmt(FLOOR - 1)}" width="{fmt(right - left)}" '
            f'height="5" rx="2.5" fill="#9ccfb6"/>'
        )
    if kind == "mat_top":  # a mat seen from above
        w, h = float(spec.get("w", 200)), float(spec.get("h", 90))
        return (
            f'<rect x="{fmt(x - w / 2)}" y="{fmt(y - h / 2)}" width="{fmt(w)}" '
            f'height="{fmt(h)}" rx="8" fill="#dcefe5"/>'
        )
    if kind == "backdrop":  # a wall behind a figure seen from the front
        return (
            f'<rect x="{fmt(x - 60)}" y="20" width="120" height="{fmt(FLOOR - 20)}" '
            'fill="#eef1f3"/>'
        )
    if kind == "strip":  # a towel flat on the floor
        w = float(spec.get("w", 40))
        return (
            f'<rect x="{fmt(x - w / 2)}" y="{fmt(FLOOR - 3)}" width="{fmt(w)}" height="4" '
            f'rx="2" fill="{PROP}"/>'
        )
    if kind == "box":  # breathing in fours: a square traced round
        r = float(spec.get("r", 16))
        return (
            f'<path d="M{fmt(x - r)},{fmt(y + r)}V{fmt(y - r)}H{fmt(x + r)}V{fmt(y + r)}'
            f"H{fmt(x - r + 6)}M{fmt(x - r + 11)},{fmt(y + r - 5)}L{fmt(x - r + 5)},"
            f'{fmt(y + r)}L{fmt(x - r + 11)},{fmt(y + r + 5)}" stroke="{PROP}" '
            'stroke-width="2.5" fill="none" stroke-linecap="round" stroke-linejoin="round"/>'
        )
    if kind == "step":
        w, h = float(spec.get("w", 40)), float(spec.get("h", 14))
        return (
            f'<rect x="{fmt(x - w / 2)}" y="{fmt(FLOOR - h)}" width="{fmt(w)}" '
            f'height="{fmt(h)}" fill="{FURNITURE}"/>'
        )
    if kind == "towel_roll":
        return (
            f'<rect x="{fmt(x - 12)}" y="{fmt(y - 4)}" width="24" height="8" rx="4" fill="{PROP}"/>'
        )
    if kind == "desk":
        w = float(spec.get("w", 50))
        return (
            f'<path d="M{fmt(x)},{fmt(y)}h{fmt(w)}M{fmt(x + w - 6)},{fmt(y)}V{fmt(FLOOR)}'
            f"M{fmt(x + w * 0.55)},{fmt(y)}v-4M{fmt(x + w * 0.35)},{fmt(y - 4)}"
            f'h{fmt(w * 0.4)}v-26h{fmt(-w * 0.4)}z" stroke="{FURNITURE}" stroke-width="3.5" '
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
            f'<path d="M{fmt(x1)},{fmt(y1)}Q{fmt(cx)},{fmt(cy)} {fmt(x2)},{fmt(y2)}'
            f'M{pt(head[0])}L{fmt(x2)},{fmt(y2)}L{pt(head[1])}" stroke="{PROP}" '
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
            f'<path d="M{pt(start)}A{fmt(r)},{fmt(r)} 0 1 0 {pt(end)}'
            f'M{pt(tip[0])}L{pt(end)}L{pt(tip[1])}" stroke="{PROP}" stroke-width="2.5" '
            'fill="none" stroke-linecap="round" stroke-linejoin="round"/>'
        )
    raise ValueError(f"unknown prop {kind}")


def render(slug: str, *, still: bool = False) -> str:
    """The SVG of a built-in exercise; `still` leaves the motion out (reduced motion)."""
    data = _poses()
    spec = data["exercises"].get(slug)
    if spec is None:
        raise KeyError(slug)
    positions = [merged_pose(p, data["bases"]) for p in spec["positions"]]
    first = body_at(positions[0])
    last = body_at(positions[-1])
    bodies, times = frames(positions) if len(positions) > 1 else ([first], [0.0])
    props = spec.get("props", [])
    parts: list[str] = []
    for prop in props:
        if prop["type"] in STATIC_PROPS:
            anchor = body_at(positions[int(prop.get("position", 0))])
            parts.append(_static_prop(prop, anchor))
    moving = [p for p in props if p["type"] not in STATIC_PROPS]
    line = 'fill="none" stroke-width="7" stroke-linecap="round" stroke-linejoin="round"'
    figure: list[str] = []
    if len(positions) > 1 and spec.get("ghost", True):
        # the start position, faint, behind the moving (or, still, the end) position
        figure.append(f"<g {line}>{draw(first, GHOST, GHOST)}</g>")
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
            _, attrs = _prop(prop, body_at(positions[int(prop.get("position", 0))]), first)
        inner = ""
        if animated and not prop.get("fixed"):
            key_times = ";".join(fmt(t) if t else "0" for t in times)
            for attribute in attrs:
                if attribute == "r":
                    continue
                values = [_prop(prop, body, first)[1][attribute] for body in bodies]
                inner += animate(attribute, values, key_times)
        attr_text = " ".join(f'{k}="{v}"' for k, v in attrs.items())
        props_drawn.append(f"<{element} {attr_text} {style}>{inner}</{element}>")
    if animated:
        key_times = ";".join("0" if not t else f"{t:.4f}".rstrip("0") for t in times)
        figure.append(f"<g {line}>{draw_moving(bodies, key_times)}</g>")
    else:
        figure.append(f"<g {line}>{draw(shown, INK, FAR)}</g>")
    placed = fit([*bodies, first, last])
    title = _names().get(slug, slug)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{_escape(title)}">'
        f"<title>{_escape(title)}</title>"
        f'<g transform="{placed}">'
        + (
            f'<path d="M-400,{fmt(FLOOR + 2)}H800" stroke="#dde3e7" stroke-width="3"/>'
            if spec.get("floor", True)
            else ""
        )
        + "".join(parts)
        + "".join(figure)
        + "".join(props_drawn)
        + "</g></svg>"
    )


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
