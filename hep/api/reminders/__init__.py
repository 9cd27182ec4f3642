"""Reminders and notification settings."""
