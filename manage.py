"""Kept for old habits and cron lines: `python manage.py X` does what `amane X` does."""
from amane.cli import main

raise SystemExit(main())
