"""Email: password reset, address verification, and invites or sign-in links sent by mail."""
