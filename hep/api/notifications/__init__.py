"""Acting on a push: what it was about, done, snooze (used by the service worker)."""
