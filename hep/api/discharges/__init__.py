"""Discharge and re-admission of a patient, and their history."""
