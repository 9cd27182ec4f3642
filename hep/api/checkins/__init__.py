"""Check-ins, their edit trail, and the pain diary."""
