"""Clinic invite links: preview and accept (with an existing therapist account or a new one)."""
