"""Habits: your own, suggested ones, and the starter set."""
