"""Tests of hep.media: uploads, storage."""
