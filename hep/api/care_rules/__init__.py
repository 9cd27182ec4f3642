"""The thresholds of the attention list: a clinic's defaults, a patient's own."""
