"""Account administration: no health data here."""
