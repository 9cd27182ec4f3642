"""The signed-in user's own account, access log, export and deletion."""
