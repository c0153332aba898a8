# Two commands for a newcomer: `make demo` and `make test`. Both set up what they need first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PROFILE ?= demo
PORT ?= 5000

.PHONY: setup services browser demo test check lint typecheck bench fuzz farm-stop clean

setup: $(VENV)/.installed node_modules/.installed
	@$(PY) -c "from devwiki.mediawiki import ensure_packages; ensure_packages()" \
	  || { echo "could not install MediaWiki (see above)"; exit 1; }

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Redis and MariaDB: started when installed but down, installed (as root) when missing.
services:
	@bash scripts/ensure_services.sh

# Debian's Chromium and chromium-driver for the browser tests, installed (as root) when missing.
browser:
	@bash scripts/ensure_browser.sh

DEMO_ENV := TOOL_FARM=.devwiki/demo/farm.json TOOL_DATABASE_URL=sqlite:///$(CURDIR)/instance/demo.sqlite \
	TOOL_PUBLIC_URL=http://127.0.0.1:$(PORT)/

# The demo: the wikis and their OAuth gateway (its consent page returns to this tool's port), the
# database's schema, then what the nightly job does — the outcomes bot finds the events, syncs them
# and writes each one's Outcomes page on the farm (no pause between edits: the farm is ours) —
# then the tool. Only `db upgrade` creates or migrates the schema.
demo: setup
	$(PY) -m devwiki start --profile demo --oauth-callback http://127.0.0.1:$(PORT)/oauth-callback
	$(DEMO_ENV) $(PY) -m tool db upgrade
	-$(DEMO_ENV) TOOL_BOT_EDIT_INTERVAL=0 $(PY) -m bots.outcomes_bot -always
	@echo "Event Outcomes on http://127.0.0.1:$(PORT)/ (Ctrl-C stops the tool; 'make farm-stop' stops the wikis)"
	$(DEMO_ENV) $(PY) -m flask --app app run --host 127.0.0.1 --port $(PORT)

test: setup services browser
	$(PY) -m devwiki start --profile test
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy .

check: lint typecheck test

# The benchmark adds edits to the bench farm; reset it first so every run starts from the seed.
bench: setup services
	$(PY) -m devwiki reset --profile bench
	$(PY) -m devwiki start --profile bench
	$(PY) -m bench

# The page parsers on 10,000 generated pages (CI tries 300), timed: the slowest case, and whether
# parsing stays linear (bench/fuzz.py, docs/reliability.md).
fuzz: setup
	HYPOTHESIS_PROFILE=fuzz $(PY) -m bench.fuzz

farm-stop:
	-$(PY) -m devwiki stop --profile test
	-$(PY) -m devwiki stop --profile demo
	-$(PY) -m devwiki stop --profile bench

clean: farm-stop
	rm -rf .devwiki instance .pytest_cache .mypy_cache .ruff_cache .hypothesis
