"""The printable progress summary."""
