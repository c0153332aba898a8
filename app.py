"""Toolforge entry point (the build service's Procfile runs `gunicorn app:app`)."""

from tool import create_app

app = create_app()
