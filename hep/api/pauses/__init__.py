"""Pauses of the whole account (flare-up, unwell, away, a busy week)."""
