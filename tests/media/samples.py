"""Sample uploads made on the spot: pictures by Pillow (with a phone's EXIF), videos by ffmpeg."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

from PIL import Image
from PIL.ExifTags import GPS, Base

from tests.tools import require_tool

GPS_LATITUDE = (52.0, 31.0, 12.34)
SERIAL = "SN-0042-CAMERA"


def picture(fmt: str = "JPEG", size: tuple[int, int] = (640, 480), *, gps: bool = True) -> bytes:
    """A picture like a phone's: EXIF with a location and the camera's serial number, and an
    orientation tag (rotated a quarter turn)."""
    image = Image.new("RGB", size, (200, 120, 40))
    for x in range(0, size[0], 40):
        image.paste((20, 90, 160), (x, 0, x + 20, size[1]))
    exif = Image.Exif()
    exif[Base.Make] = "PhoneMaker"
    exif[Base.BodySerialNumber] = SERIAL
    exif[Base.Orientation] = 6
    if gps:
        exif.get_ifd(0x8825).update(
            {
                GPS.GPSLatitudeRef: "N",
                GPS.GPSLatitude: GPS_LATITUDE,
                GPS.GPSLongitudeRef: "E",
                GPS.GPSLongitude: (13.0, 24.0, 0.0),
            }
        )
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def ffmpeg() -> str:
    found = shutil.which("ffmpeg")
    require_tool("ffmpeg", found is not None, "apt-get install ffmpeg (Debian)")
    assert found is not None
    return found


def video(folder: Path, kind: str = "mp4", *, seconds: float = 1.0, size: str = "160x120") -> bytes:
    """A short test-pattern video; an MP4 carries the camera's serial in its user data."""
    path = folder / f"sample.{kind}"
    codec = ["-c:v", "libx264", "-pix_fmt", "yuv420p"] if kind == "mp4" else ["-c:v", "libvpx"]
    extra = ["-metadata", f"comment={SERIAL}", "-movflags", "+faststart"]
    subprocess.run(
        [
            ffmpeg(),
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc=duration={seconds}:size={size}:rate=10",
            *codec,
            *(extra if kind == "mp4" else []),
            str(path),
        ],
        check=True,
        timeout=60,
    )
    return path.read_bytes()
