"""A patient's care team: seen by the team and the patient, changed by both."""
