"""WSGI entry point for gunicorn: `gunicorn wsgi:app`."""

from hep import create_app

app = create_app()
