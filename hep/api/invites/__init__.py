"""Invite links: preview and accept."""
