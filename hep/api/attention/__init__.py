"""Why a patient needs attention, acknowledging it, and the alert history."""
