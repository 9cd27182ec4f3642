"""Photos and videos on exercises and program items."""
