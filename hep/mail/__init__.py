"""Email: the mail server's settings, messages from templates, SMTP delivery, signed links."""
