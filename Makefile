# Amane. `make run` to start the app, `make test` to run every test. See README.md.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install --quiet --disable-pip-version-check
PORT   ?= 8501
AMANE  := $(VENV)/bin/amane
DEMO_DB := sqlite:///$(CURDIR)/data/demo.db
# uv and pip-audit, for `make lock` and `make audit` only (requirements-tools.lock).
TOOLS  := $(VENV)/tools
# The lock files: every package, pinned, with the hashes of its files on PyPI, made by
# `make lock` from the hand-edited requirements*.txt. Universal: one lock for Python 3.11 and
# later on every platform (a package that differs gets one line per case, with its marker).
# `make lock` keeps every version already locked unless an input asks otherwise;
# `make lock UPGRADE=1` moves every package to its newest allowed version.
LOCK   := $(TOOLS)/bin/uv pip compile --quiet --generate-hashes --universal --python-version 3.11 \
          --custom-compile-command 'make lock' $(if $(UPGRADE),--upgrade)

.PHONY: run classroom serve demo test lint check-content content-report coverage i18n bench bench-serve screenshots backup lock audit clean

# A new venv from one lock whenever that lock changes, so nothing outside the lock stays in it;
# --require-hashes refuses any file whose hash is not the lock's. amane itself is built with
# the lock's setuptools (--no-build-isolation), so nothing is fetched without a hash.
define fresh_venv
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r $(1)
	$(PIP) --no-deps --no-build-isolation -e .
endef

$(VENV)/.installed: requirements.lock pyproject.toml
	$(call fresh_venv,requirements.lock)
	touch $@

# The dev lock holds the runtime packages too: one install, and `make run` uses that venv as is.
$(VENV)/.dev-installed: requirements.lock requirements-dev.lock pyproject.toml
	$(call fresh_venv,requirements-dev.lock)
	touch $(VENV)/.installed $@

$(TOOLS)/.installed: requirements-tools.lock
	rm -rf $(TOOLS)
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-tools.lock
	touch $@

run: $(VENV)/.installed  ## start the app on SQLite (data/amane.db) at http://127.0.0.1:8501
	$(AMANE) run --port $(PORT)

classroom: $(VENV)/.installed  ## serve the class's tablets over the school network (ADDRESS=this computer's address there, PORT)
	$(AMANE) classroom --port $(PORT) $(if $(ADDRESS),--address $(ADDRESS))

serve: $(VENV)/.installed  ## a school server: WORKERS app processes (default: one per core) behind nginx, on ADDRESS:PORT
	$(PY) -m amane.serve --port $(PORT) $(if $(WORKERS),--workers $(WORKERS)) $(if $(ADDRESS),--address $(ADDRESS))

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

bench-serve: $(VENV)/.dev-installed  ## the load test through `make serve`'s nginx with 1 and 2 app processes (about 8 minutes)
	$(PY) -m bench.load --workers 1 2

screenshots: $(VENV)/.dev-installed  ## the README's pictures (docs/screenshots/), from the demo school in headless Chromium
	$(PY) scripts/screenshots.py --readme

backup: $(VENV)/.installed  ## a full backup of the database into data/backups/ (restore: see README)
	$(AMANE) backup

lock: $(TOOLS)/.installed  ## resolve requirements*.txt into the hashed lock files (needs PyPI; UPGRADE=1 to upgrade)
	$(LOCK) requirements.txt -o requirements.lock
	$(LOCK) requirements-dev.txt -c requirements.lock -o requirements-dev.lock
	$(LOCK) requirements-tools.txt -o requirements-tools.lock

audit: $(TOOLS)/.installed  ## known vulnerabilities of every locked package (pip-audit; needs PyPI's vulnerability data)
	bash scripts/audit.sh

clean:
	rm -rf $(VENV) .pytest_cache
