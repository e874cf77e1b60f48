"""Amane (أمان): age-graded online-safety lessons for children, for schools, in ar/fr/en.

Layers, one way: `app.py` and `views/` (Streamlit pages) call `services/` (use cases, no
Streamlit), which use `models/` (tables, content schema, database); `i18n` and `settings` serve all.
"""
