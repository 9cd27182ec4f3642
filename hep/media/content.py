"""What an upload is, from its bytes alone, and its cleaned copy: JPEG, PNG and WebP pictures
re-encoded by Pillow without metadata, MP4 and WebM videos proven whole with their metadata
blanked; anything else (SVG, HTML, polyglots, truncated files) refused."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError

from hep.media.containers import check_mp4, check_webm, is_mp4, is_webm, refuse

IMAGE_EDGE = 2048
"""Pictures are served no larger than this on their longer side (phones send 4000+)."""
THUMBNAIL_EDGE = 480
FFMPEG_SECONDS = 30

# markup a browser could run, if a file were ever served as something else; in a picture or a
# video's metadata it marks a polyglot
_MARKUP = re.compile(
    rb"<(script|html|svg|body|iframe|object|embed)[\s>/]|<!doctype\s+html|<\?xml\s",
    re.IGNORECASE,
)
_MARKUP_OVERLAP = 32
ONLY = "Only JPEG, PNG and WebP pictures and MP4 and WebM videos can be uploaded."


@dataclass(frozen=True)
class Limits:
    image_bytes: int
    video_bytes: int
    pixels: int
    ffmpeg: str | None
    """ffmpeg's path (ffprobe beside it): reads each video and takes its poster frame."""


@dataclass(frozen=True)
class Cleaned:
    """The file to store and its thumbnail (files in the work folder)."""

    kind: str
    content_type: str
    path: Path
    width: int | None
    height: int | None
    thumbnail: Path
    poster: str | None


IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
THUMBNAIL_TYPE = "image/webp"


def sniff(head: bytes) -> str | None:
    """The kind of file by its first bytes: a Pillow format name, 'mp4' or 'webm'."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if is_mp4(head):
        return "mp4"
    if is_webm(head):
        return "webm"
    return None


def receive(source: IO[bytes], target: Path) -> int:
    """Copy the upload into the work folder in chunks; its size."""
    size = 0
    with target.open("wb") as out:
        while chunk := source.read(256 * 1024):
            out.write(chunk)
            size += len(chunk)
    return size


def has_markup(path: Path) -> bool:
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            if _MARKUP.search(tail + chunk):
                return True
            tail = chunk[-_MARKUP_OVERLAP:]
    return False


def clean(source: IO[bytes], work: Path, limits: Limits) -> Cleaned:
    """The cleaned copy of an upload, or Invalid (422, field `file`) saying why not."""
    original = work / "original"
    size = receive(source, original)
    if size == 0:
        raise refuse("The file is empty.")
    with original.open("rb") as handle:
        head = handle.read(64)
    kind = sniff(head)
    if kind is None:
        if _MARKUP.search(head) or head.lstrip().startswith(b"<"):
            raise refuse(f"SVG, HTML and other markup files are not accepted. {ONLY}")
        raise refuse(ONLY)
    if has_markup(original):
        raise refuse("The file hides markup (a script or web page) inside it, so it is refused.")
    if kind in IMAGE_TYPES:
        if size > limits.image_bytes:
            raise refuse(f"Pictures may be at most {limits.image_bytes // 2**20} MB.")
        return _clean_image(original, kind, size, work, limits)
    if size > limits.video_bytes:
        raise refuse(f"Videos may be at most {limits.video_bytes // 2**20} MB.")
    return _clean_video(original, kind, size, work, limits)


def _image_end(path: Path, kind: str, size: int) -> int:
    """Where the picture's own bytes end, by its format's structure."""
    with path.open("rb") as handle:
        if kind == "WEBP":
            handle.seek(4)
            return int.from_bytes(handle.read(4), "little") + 8
        handle.seek(max(0, size - 64 * 1024))
        tail = handle.read()
    base = size - len(tail)
    if kind == "PNG":
        found = tail.rfind(b"IEND")
        return base + found + 8 if found >= 0 else size + 1
    found = tail.rstrip(b"\0").rfind(b"\xff\xd9")
    return base + found + 2 if found >= 0 else size + 1


def _clean_image(original: Path, kind: str, size: int, work: Path, limits: Limits) -> Cleaned:
    end = _image_end(original, kind, size)
    if end > size:
        raise refuse("The picture is cut short (incomplete upload?): send the whole file.")
    if end < size and _tail(original, end).strip(b"\0"):
        raise refuse(
            "The file has data after the end of the picture (another file hidden in it), so "
            "it is refused."
        )
    try:
        with Image.open(original, formats=[kind]) as probe:
            if probe.width * probe.height > limits.pixels:
                raise refuse(f"The picture has too many pixels (at most {limits.pixels:,}).")
            probe.verify()
        with Image.open(original, formats=[kind]) as image:
            image.draft("RGB", (IMAGE_EDGE, IMAGE_EDGE))  # JPEG: decode at a smaller scale
            image.load()
            upright = ImageOps.exif_transpose(image)
            icc = image.info.get("icc_profile")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refuse("The picture cannot be read (damaged or not really a picture).") from None
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    mode = "RGBA" if has_alpha and kind != "JPEG" else "RGB"
    # a new image carries no metadata: EXIF (location, camera serials), XMP, comments
    fresh = Image.new(mode, upright.size)
    fresh.paste(upright.convert(mode))
    fresh.thumbnail((IMAGE_EDGE, IMAGE_EDGE), Image.Resampling.LANCZOS)
    cleaned = work / "cleaned"
    options: dict[str, object] = {"icc_profile": icc} if icc else {}
    if kind == "JPEG":
        fresh.save(cleaned, "JPEG", quality=85, optimize=True, progressive=True, **options)
    elif kind == "PNG":
        fresh.save(cleaned, "PNG", optimize=True, **options)
    else:
        fresh.save(cleaned, "WEBP", quality=85, **options)
    thumbnail = _thumbnail(fresh, work)
    return Cleaned("image", IMAGE_TYPES[kind], cleaned, fresh.width, fresh.height, thumbnail, None)


def _tail(path: Path, start: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(start)
        return handle.read(64 * 1024)


def _thumbnail(image: Image.Image, work: Path) -> Path:
    small = image.copy()
    small.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE), Image.Resampling.LANCZOS)
    path = work / "thumbnail"
    small.save(path, "WEBP", quality=80)
    return path


def _clean_video(original: Path, kind: str, size: int, work: Path, limits: Limits) -> Cleaned:
    with original.open("r+b") as handle:
        (check_mp4 if kind == "mp4" else check_webm)(handle, size)
    content_type = "video/mp4" if kind == "mp4" else "video/webm"
    if limits.ffmpeg is None:
        poster = _generic_poster(work)
        return Cleaned("video", content_type, original, None, None, poster, "generic")
    width, height = _probe(original, kind, limits.ffmpeg)
    frame = work / "frame.png"
    _run(
        [
            limits.ffmpeg,
            *_input(original, kind),
            "-map",
            "0:v:0",
            "-vf",
            f"thumbnail=30,scale='min({THUMBNAIL_EDGE},iw)':-2",
            "-frames:v",
            "1",
            "-f",
            "image2",
            "-c:v",
            "png",
            str(frame),
        ]
    )
    try:
        with Image.open(frame, formats=["PNG"]) as image:
            image.load()
            poster = _thumbnail(image.convert("RGB"), work)
    except (OSError, UnidentifiedImageError):
        raise refuse("The video cannot be played (no picture could be read from it).") from None
    return Cleaned("video", content_type, original, width, height, poster, "frame")


def _input(path: Path, kind: str) -> list[str]:
    # the demuxer named, never guessed: a file cannot steer ffmpeg to playlists or other files
    demuxer = "mov" if kind == "mp4" else "matroska"
    return ["-nostdin", "-v", "error", "-f", demuxer, "-i", str(path)]


def _run(command: list[str]) -> bytes:
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=FFMPEG_SECONDS, check=False, stdin=None
        )
    except subprocess.TimeoutExpired:
        raise refuse("The video took too long to read.") from None
    if done.returncode != 0:
        raise refuse("The video cannot be played (its contents are damaged).")
    return done.stdout


def _probe(path: Path, kind: str, ffmpeg: str) -> tuple[int | None, int | None]:
    ffprobe = str(Path(ffmpeg).with_name("ffprobe"))
    found = _run(
        [
            ffprobe,
            *_input(path, kind)[1:],
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=width,height",
            "-of",
            "json",
        ]
    )
    streams = json.loads(found or b"{}").get("streams") or []
    if not streams:
        raise refuse("The file holds no video picture.")
    return streams[0].get("width"), streams[0].get("height")


def _generic_poster(work: Path) -> Path:
    """A plain poster (a play sign) for when ffmpeg is not installed to take a frame."""
    image = Image.new("RGB", (THUMBNAIL_EDGE, THUMBNAIL_EDGE * 9 // 16), (38, 50, 56))
    draw = ImageDraw.Draw(image)
    cx, cy = image.width // 2, image.height // 2
    draw.ellipse((cx - 60, cy - 60, cx + 60, cy + 60), outline=(255, 255, 255), width=6)
    draw.polygon([(cx - 20, cy - 32), (cx - 20, cy + 32), (cx + 34, cy)], fill=(255, 255, 255))
    return _thumbnail(image, work)


def find_ffmpeg(setting: str | None) -> str | None:
    """HEP_MEDIA_FFMPEG: a path, `off`, or unset (ffmpeg on PATH if there is one, with ffprobe)."""
    if setting == "off":
        return None
    found = setting or shutil.which("ffmpeg")
    if found and Path(found).with_name("ffprobe").exists():
        return found
    return None
