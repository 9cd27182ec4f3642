"""Weekly check-ins."""
