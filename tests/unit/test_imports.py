"""Every service module imports on its own, first thing in a fresh interpreter: an import
cycle between services (a → b → a) breaks whichever is imported first, which the app's own
import order can hide until a script or a new page imports another one first."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import amane
from amane.settings import ROOT


def test_every_module_imports_first_in_a_fresh_interpreter():
    names = [
        info.name
        for info in pkgutil.walk_packages(amane.__path__, "amane.")
        if info.name.startswith("amane.services.")
    ]
    command = [sys.executable, "-c"]
    running = {
        name: subprocess.Popen([*command, f"import {name}"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        for name in names
    }
    failed = {name: process.communicate()[1].strip().splitlines()[-1:] for name, process in running.items()}
    assert {name: error for name, error in failed.items() if running[name].returncode} == {}
    assert "amane.services.classes" in names and "amane.services.spreadsheet" in names


def test_the_app_pages_leave_pandas_to_the_pages_that_draw_a_table():
    """Importing every page (as app.py does through navigation) does not load pandas, numpy or
    pyarrow (~80 MiB): a server that only teaches pupils never pays for them. (Plotly's figures
    are imported by Streamlit itself, for its chart theme.)"""
    script = (
        "import sys, amane.views.navigation; "
        "print(sorted(m for m in ('pandas', 'numpy', 'pyarrow') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert (loaded.returncode, loaded.stdout.strip()) == (0, "[]"), loaded.stderr[-2000:]
