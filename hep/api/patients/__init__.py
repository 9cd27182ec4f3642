"""A therapist's patients: add, invite, list, read."""
