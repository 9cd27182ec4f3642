"""Web push: the VAPID public key, subscriptions, a test notification."""
