"""Sign-up, sign-in, sign-out and bearer tokens."""
