"""Programs, their versions, and templates."""
