"""Cleaning uploads (hep.media.content): what is refused and what a kept file loses."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from hep.errors import Invalid
from hep.media.content import Cleaned, Limits, clean
from tests.media.samples import SERIAL, ffmpeg, picture, video

LIMITS = Limits(image_bytes=20 * 2**20, video_bytes=100 * 2**20, pixels=50_000_000, ffmpeg=None)


def run(data: bytes, folder: Path, limits: Limits = LIMITS) -> Cleaned:
    folder.mkdir(exist_ok=True)
    return clean(io.BytesIO(data), folder, limits)


def refusal(data: bytes, folder: Path, limits: Limits = LIMITS) -> str:
    with pytest.raises(Invalid) as caught:
        run(data, folder, limits)
    assert caught.value.errors is not None
    return caught.value.errors["file"][0]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_picture_is_re_encoded_in_its_own_format_without_metadata(tmp_path: Path, fmt: str):
    cleaned = run(picture(fmt), tmp_path / "w")
    image = Image.open(cleaned.path)
    assert image.format == fmt
    assert not image.getexif()
    assert SERIAL.encode() not in cleaned.path.read_bytes()
    assert Image.open(cleaned.thumbnail).format == "WEBP"


def test_a_huge_picture_is_served_at_most_2048_pixels_wide(tmp_path: Path):
    cleaned = run(picture(size=(4000, 3000), gps=False), tmp_path / "w")
    assert max(cleaned.width or 0, cleaned.height or 0) == 2048


def test_a_picture_with_too_many_pixels_is_refused_before_decoding(tmp_path: Path):
    limits = Limits(20 * 2**20, 100 * 2**20, pixels=100 * 100, ffmpeg=None)
    assert "too many pixels" in refusal(picture(gps=False), tmp_path / "w", limits)


def test_a_webp_with_data_after_its_riff_chunk_is_refused(tmp_path: Path):
    assert "after the end" in refusal(picture("WEBP") + b"PK\x03\x04junk", tmp_path / "w")


def test_a_png_with_a_script_in_a_text_chunk_is_refused(tmp_path: Path):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "PNG", pnginfo=info)
    assert "markup" in refusal(out.getvalue(), tmp_path / "w")


def test_an_mp4_keeps_playing_after_its_metadata_is_blanked(tmp_path: Path):
    original = video(tmp_path, "mp4")
    assert SERIAL.encode() in original
    limits = Limits(20 * 2**20, 100 * 2**20, 50_000_000, ffmpeg=ffmpeg())
    cleaned = run(original, tmp_path / "w", limits)
    kept = cleaned.path.read_bytes()
    assert len(kept) == len(original)  # blanked in place: every offset still holds
    assert SERIAL.encode() not in kept
    assert (cleaned.width, cleaned.height, cleaned.poster) == (160, 120, "frame")
    probe = subprocess.run(
        [
            str(Path(ffmpeg()).with_name("ffprobe")),
            "-v",
            "error",
            "-count_frames",
            "-i",
            str(cleaned.path),
        ],
        capture_output=True,
        check=False,
    )
    assert probe.returncode == 0 and not probe.stderr


def test_without_ffmpeg_a_video_gets_a_generic_poster(tmp_path: Path):
    cleaned = run(video(tmp_path, "webm"), tmp_path / "w")
    assert cleaned.poster == "generic"
    assert Image.open(cleaned.thumbnail).format == "WEBP"


def test_a_quicktime_movie_is_not_taken_for_an_mp4(tmp_path: Path):
    mp4 = video(tmp_path, "mp4")
    # the same boxes under QuickTime's brand
    quicktime = mp4[:8] + b"qt  " + mp4[12:16] + b"qt  " * ((int.from_bytes(mp4[:4]) - 16) // 4)
    quicktime += mp4[len(quicktime) :]
    assert "MP4 and WebM" in refusal(quicktime, tmp_path / "w")


def test_a_video_with_a_file_appended_is_refused(tmp_path: Path):
    assert "not part of" in refusal(video(tmp_path, "mp4") + bytes(64), tmp_path / "w")
