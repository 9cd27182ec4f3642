"""The HEP_MEDIA_* settings: checked when loaded, with the variable's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from hep.config import ConfigError, finish_config, load_config


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HEP_MEDIA_STORAGE", "disk"),
        ("HEP_MEDIA_MAX_BYTES", "0"),
        ("HEP_MEDIA_MAX_BYTES", "10MB"),
        ("HEP_MEDIA_MAX_IMAGE_BYTES", "-1"),
        ("HEP_MEDIA_MAX_PIXELS", "many"),
        ("HEP_MEDIA_S3_ENDPOINT_URL", "minio:9000"),
        ("HEP_MEDIA_FFMPEG", "/no/such/ffmpeg"),
    ],
)
def test_a_media_setting_hep_cannot_use_is_refused_with_its_name(name: str, value: str):
    with pytest.raises(ConfigError, match=name):
        load_config({name: value})


def test_object_storage_needs_its_bucket(tmp_path: Path):
    with pytest.raises(ConfigError, match="HEP_MEDIA_S3_BUCKET"):
        finish_config(load_config({"HEP_MEDIA_STORAGE": "s3"}), tmp_path)
    found = finish_config(
        load_config({"HEP_MEDIA_STORAGE": "s3", "HEP_MEDIA_S3_BUCKET": "hep-media"}), tmp_path
    )
    assert found["MEDIA_S3_BUCKET"] == "hep-media"


def test_ffmpeg_may_be_switched_off():
    assert load_config({"HEP_MEDIA_FFMPEG": "off"})["MEDIA_FFMPEG"] == "off"
