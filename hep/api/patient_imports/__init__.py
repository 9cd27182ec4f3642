"""A clinic's caseload imported from CSV."""
