"""Prometheus metrics: what every hep process counts, and the scrape that adds them up."""
