"""Web push: VAPID keys, endpoint policy (SSRF), payloads and the concurrent push sender."""
