"""Messages between a patient and their care team."""
