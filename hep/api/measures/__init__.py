"""Outcome measures: plans, answers and scores."""
