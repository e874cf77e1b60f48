# Amane. `make run` to start the app, `make test` to run every test. See README.md.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
AMANE  := $(VENV)/bin/amane
DEMO_DB := sqlite:///$(CURDIR)/data/demo.db

.PHONY: run demo test lint check-content content-report coverage i18n bench screenshots backup clean

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed  ## start the app on SQLite (data/amane.db) at http://127.0.0.1:8501
	$(AMANE) run --port $(PORT)

demo: $(VENV)/.installed  ## seed a demo school into data/demo.db (fresh) and start the app on it
	rm -f data/demo.db data/demo.db-wal data/demo.db-shm
	AMANE_DATABASE_URL=$(DEMO_DB) $(AMANE) demo
	AMANE_DATABASE_URL=$(DEMO_DB) $(AMANE) run --port $(PORT)

check-content: $(VENV)/.installed  ## validate the YAML content (DIR=folder for another content folder)
	$(AMANE) check-content $(if $(DIR),--dir $(DIR))

content-report: $(VENV)/.installed  ## quiz item-writing measures per age band (DIR=folder for another content folder)
	$(AMANE) content-report $(if $(DIR),--dir $(DIR))

coverage: $(VENV)/.installed  ## print the topics x age bands table of the course
	$(AMANE) coverage

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .

test: $(VENV)/.dev-installed  ## everything: lint, content, tests on SQLite and on a throwaway PostgreSQL
	bash scripts/test.sh

i18n: $(VENV)/.dev-installed  ## extract UI strings and update the fr/ar catalogues
	bash scripts/i18n.sh

bench: $(VENV)/.dev-installed  ## benchmarks, printed as ratios to a bare Streamlit page
	bash scripts/bench.sh

screenshots: $(VENV)/.dev-installed  ## the README's pictures (docs/screenshots/), from the demo school in headless Chromium
	$(PY) scripts/screenshots.py --readme

backup: $(VENV)/.installed  ## a full backup of the database into data/backups/ (restore: see README)
	$(AMANE) backup

clean:
	rm -rf $(VENV) .pytest_cache
