"""WSGI entry point for gunicorn, from any directory: `gunicorn hep.wsgi:app`."""

from hep import create_app

app = create_app()
