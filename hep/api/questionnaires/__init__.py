"""Questionnaires therapists build, and the built-in measures."""
