"""Reminders: schedule maths (pure), dispatch and policies."""
