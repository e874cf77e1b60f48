"""Helpers shared by the test suite, the benchmarks and the screenshot script (never by the app):
`apptest` drives app.py under Streamlit's AppTest, `browser` a real server in headless Chromium,
`queries` counts the SQL statements a piece of work sends."""
