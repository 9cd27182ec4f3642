"""Health: liveness and readiness for process managers, proxies and monitoring."""
