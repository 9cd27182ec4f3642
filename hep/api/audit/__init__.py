"""The audit log: read and exported as CSV by site admins, and by clinic admins for their clinic."""
