"""Clinics: their members, invites, caseload and management."""
