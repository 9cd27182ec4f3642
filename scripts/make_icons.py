"""Draw hep's app icons as PNG files with the standard library (python scripts/make_icons.py).

The shapes match icon.svg: a teal tile with a white tick and a dot, the dot reading as a head,
so the tick reads as a person stretching. 4x4 supersampling gives smooth edges."""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

TEAL = (11, 107, 114)
WHITE = (255, 255, 255)
TICK = [(27.0, 55.0), (43.0, 71.0), (72.0, 40.0)]
TICK_HALF_WIDTH = 5.0
HEAD = (74.0, 25.0, 7.5)
SAMPLES = 4


def _segment_distance(
    px: float, py: float, a: tuple[float, float], b: tuple[float, float]
) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _in_tile(x: float, y: float, radius: float) -> bool:
    if radius <= 0:
        return 0 <= x <= 100 and 0 <= y <= 100
    cx = min(max(x, radius), 100 - radius)
    cy = min(max(y, radius), 100 - radius)
    return math.hypot(x - cx, y - cy) <= radius


def _is_mark(x: float, y: float, scale: float) -> bool:
    # the maskable icon shrinks the mark into the safe zone (the central 80% circle)
    x, y = 50 + (x - 50) / scale, 50 + (y - 50) / scale
    hx, hy, hr = HEAD
    if math.hypot(x - hx, y - hy) <= hr:
        return True
    return any(
        _segment_distance(x, y, TICK[i], TICK[i + 1]) <= TICK_HALF_WIDTH
        for i in range(len(TICK) - 1)
    )


def render(size: int, *, radius: float, scale: float) -> bytes:
    rows = []
    step = 100 / size / SAMPLES
    for py in range(size):
        row = bytearray([0])  # PNG filter: none
        for px in range(size):
            tile = mark = 0
            for sy in range(SAMPLES):
                y = (py * SAMPLES + sy + 0.5) * step
                for sx in range(SAMPLES):
                    x = (px * SAMPLES + sx + 0.5) * step
                    if _in_tile(x, y, radius):
                        tile += 1
                        if _is_mark(x, y, scale):
                            mark += 1
            n = SAMPLES * SAMPLES
            alpha = tile / n
            if tile:
                w = mark / tile
                rgb = [round(TEAL[c] * (1 - w) + WHITE[c] * w) for c in range(3)]
            else:
                rgb = [0, 0, 0]
            row += bytes([*rgb, round(alpha * 255)])
        rows.append(bytes(row))
    return _png(size, size, b"".join(rows))


def _png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    here = Path(__file__).resolve().parent.parent / "hep" / "static" / "icons"
    (here / "icon-192.png").write_bytes(render(192, radius=22, scale=1.0))
    (here / "icon-512.png").write_bytes(render(512, radius=22, scale=1.0))
    (here / "icon-maskable-512.png").write_bytes(render(512, radius=0, scale=1.25))


if __name__ == "__main__":
    main()
