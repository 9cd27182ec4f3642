"""Link requests: therapists asking to join your care team, answered in the app."""
