"""A line figure drawn from joint angles: where each joint is in a position (forward
kinematics from the hip), positions eased into one another the shorter way round, and the
figure as a few SVG paths that keep their shape while they move."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

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


def vec(angle: float) -> tuple[float, float]:
    """The unit vector of an absolute angle: 0 points down, 90 forward (right), 180 up."""
    rad = math.radians(angle)
    return math.sin(rad), math.cos(rad)


def add(p: tuple[float, float], angle: float, length: float) -> tuple[float, float]:
    dx, dy = vec(angle)
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


def merged_pose(data: dict[str, Any], bases: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    if "base" in data:
        merged.update(merged_pose(bases[data["base"]], bases))
    merged.update({k: v for k, v in data.items() if k != "base"})
    return merged


def body_at(pose: dict[str, Any]) -> Body:
    """Forward kinematics from the hip: torso, neck and head, two arms, two legs."""
    view = pose.get("view", "side")
    torso = float(pose.get("torso", 180))
    hip: Point = (0.0, 0.0)
    neck = add(hip, torso, TORSO * float(pose.get("torso_s", 1)))
    head_angle = float(pose.get("head", torso))
    head = add(neck, head_angle, NECK + HEAD_R)
    points: dict[str, Point] = {"hip": hip, "neck": neck, "head": head}
    across = torso + 90  # in a front view, shoulders and hips spread across the torso
    # a front view: 1 is the figure's right (on the left of the picture), 2 its left
    for n, side in ((1, 1), (2, -1)):
        if view == "front":
            shoulder = add(neck, across, side * SHOULDER_HALF)
        else:  # the shoulder sits a little below the base of the neck
            shoulder = add(neck, torso + 180, 5)
        hip_n = add(hip, across, side * HIP_HALF) if view == "front" else hip
        upper, fore = pose.get(f"a{n}", [0, 0])
        upper_s, fore_s = pose.get(f"a{n}s", [1, 1])
        elbow = add(shoulder, upper, UPPER_ARM * upper_s)
        hand = add(elbow, fore, FOREARM * fore_s)
        thigh, shin, foot = pose.get(f"l{n}", [0, 0, 90])
        thigh_s, shin_s, foot_s = pose.get(f"l{n}s", [1, 1, 1])
        knee = add(hip_n, thigh, THIGH * thigh_s)
        ankle = add(knee, shin, SHIN * shin_s)
        toe = add(ankle, foot, FOOT * foot_s)
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
    points["belly"] = add(add(hip, torso, TORSO * 0.3), front, 7)
    points["chest"] = add(add(hip, torso, TORSO * 0.75), front, 6)
    points["back"] = add(add(hip, torso, TORSO * 0.7), front, -5)
    points["lowback"] = add(add(hip, torso, TORSO * 0.2), front, -5)
    # the spine bends by `arch` (toward the back when positive), as a curve through this
    points["arch"] = add(add(hip, torso, TORSO * 0.5), front, -float(pose.get("arch", 0)) * 2)
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


def ease(u: float) -> float:
    return (1 - math.cos(math.pi * u)) / 2


ANGLES = frozenset({"torso", "head", "a1", "a2", "l1", "l2"})


def turn(start: float, end: float) -> float:
    """The shorter way round from one angle to another."""
    return ((end - start + 180) % 360) - 180


def between(a: dict[str, Any], b: dict[str, Any], t: float) -> dict[str, Any]:
    """A position part of the way from a to b: every value eased by the same fraction, angles
    the shorter way round."""
    out = dict(b)
    for key, value in b.items():
        start = a.get(key, value)
        if key in ANGLES and isinstance(value, list):
            out[key] = [s + turn(s, e) * t for s, e in zip(start, value, strict=True)]
        elif key in ANGLES:
            out[key] = start + turn(start, value) * t
        elif isinstance(value, list):
            out[key] = [s + (e - s) * t for s, e in zip(start, value, strict=True)]
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out[key] = start + (value - start) * t
    return out


def fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def pt(p: Point) -> str:
    return f"{fmt(p[0])},{fmt(p[1])}"


def figure_paths(body: Body) -> dict[str, str]:
    """The figure as a few paths (same commands in every position, so they can morph)."""
    p = body.points
    paths = {
        "spine": f"M{pt(p['hip'])}Q{pt(p['arch'])} {pt(p['neck'])}",
        "arm1": f"M{pt(p['sh1'])}L{pt(p['el1'])}L{pt(p['ha1'])}",
        "arm2": f"M{pt(p['sh2'])}L{pt(p['el2'])}L{pt(p['ha2'])}",
        "leg1": f"M{pt(p['hp1'])}L{pt(p['kn1'])}L{pt(p['an1'])}L{pt(p['to1'])}",
        "leg2": f"M{pt(p['hp2'])}L{pt(p['kn2'])}L{pt(p['an2'])}L{pt(p['to2'])}",
    }
    if body.view == "front":
        paths["spine"] += f"M{pt(p['sh1'])}L{pt(p['sh2'])}M{pt(p['hp1'])}L{pt(p['hp2'])}"
    head = p["head"]
    if body.face == "none":
        paths["face"] = f"M{pt(head)}"
    elif body.view == "side":
        # the face looks forward of the head's direction: a short nose
        face = body.head_angle - 90 if body.face == "front" else body.head_angle + 90
        nose = add(head, face, HEAD_R + 3.5)
        base = add(head, face, HEAD_R - 1)
        paths["face"] = f"M{pt(base)}L{pt(nose)}"
    else:
        shift = math.sin(math.radians(body.turn)) * 5
        up = body.head_angle
        centre = add(add(head, up + 90, shift), up, 2 - body.nod)
        eye1 = add(centre, up + 90, -3.5)
        eye2 = add(centre, up + 90, 3.5)
        paths["face"] = f"M{pt(eye1)}l0.1,0M{pt(eye2)}l0.1,0"
    return paths


def draw(body: Body, colour: str, far: str, extra: str = "") -> str:
    paths = figure_paths(body)
    out = []
    for name in ("arm2", "leg2"):
        out.append(f'<path d="{paths[name]}" stroke="{far}"{extra}/>')
    for name in ("leg1", "spine", "arm1"):
        out.append(f'<path d="{paths[name]}" stroke="{colour}"{extra}/>')
    head = body.points["head"]
    out.append(
        f'<circle cx="{fmt(head[0])}" cy="{fmt(head[1])}" r="{fmt(HEAD_R)}" '
        f'fill="#fff" stroke="{colour}"{extra}/>'
    )
    out.append(f'<path d="{paths["face"]}" stroke="{colour}" stroke-width="3"{extra}/>')
    return "".join(out)


def animate(attribute: str, values: list[str], times: str) -> str:
    return (
        f'<animate attributeName="{attribute}" dur="{fmt(SECONDS)}s" repeatCount="indefinite" '
        f'calcMode="linear" keyTimes="{times}" values="{";".join(values)}"/>'
    )


def frames(positions: list[dict[str, Any]]) -> tuple[list[Body], list[float]]:
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
        bodies.append(body_at(a))
        times.append(base)
        for step in range(STEPS + 1):
            bodies.append(body_at(between(a, b, ease(step / STEPS))))
            times.append(base + hold + move * step / STEPS)
    times[-1] = 1.0
    return bodies, times


def fit(bodies: list[Body]) -> str:
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
    return f"translate({fmt(dx)},{fmt(dy)}) scale({fmt(scale)})"


def draw_moving(bodies: list[Body], key_times: str) -> str:
    frames = [figure_paths(body) for body in bodies]
    out = []
    colours = {"arm2": FAR, "leg2": FAR, "leg1": INK, "spine": INK, "arm1": INK}
    for name in ("arm2", "leg2", "leg1", "spine", "arm1"):
        values = [f[name] for f in frames]
        out.append(
            f'<path d="{values[0]}" stroke="{colours[name]}">'
            f"{animate('d', values, key_times)}</path>"
        )
    heads = [body.points["head"] for body in bodies]
    out.append(
        f'<circle cx="{fmt(heads[0][0])}" cy="{fmt(heads[0][1])}" r="{fmt(HEAD_R)}" '
        f'fill="#fff" stroke="{INK}">'
        + animate("cx", [fmt(h[0]) for h in heads], key_times)
        + animate("cy", [fmt(h[1]) for h in heads], key_times)
        + "</circle>"
    )
    faces = [f["face"] for f in frames]
    out.append(
        f'<path d="{faces[0]}" stroke="{INK}" stroke-width="3">'
        f"{animate('d', faces, key_times)}</path>"
    )
    return "".join(out)
