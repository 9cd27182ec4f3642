"""Progression and regression proposals, and the steps a patient's programs took."""
