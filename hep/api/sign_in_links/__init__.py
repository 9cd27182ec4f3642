"""Sign-in links for locked-out users: made by their therapist or an admin, used once."""
