# Two commands do all set-up on a fresh machine: `make site` and `make test`.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: site test lint typecheck unit browser node-tools schema templates docs screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(RUNTIME_STAMP)

## site: create the virtualenv, install citeguide, build content/ into site/
site: $(RUNTIME_STAMP)
	$(BIN)/citeguide build
	@echo "Serve it: $(BIN)/citeguide serve   (then open http://127.0.0.1:8000/; or: $(BIN)/python -m http.server -d site 8000)"

## test: install test tools, then lint, type-check and run the whole suite
test: lint typecheck unit

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

## browser: Debian's Chromium for the browser tests (Playwright never downloads one)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium package for the browser tests"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

## node-tools: test-only Node tools in tests/js/node_modules (ajv strict mode, Lighthouse),
## the versions in tests/js/package-lock.json (`install --no-save`, not `ci`: Lighthouse
## asks for third-party-web@latest, which `ci` refuses); without npm or offline their
## tests are skipped with a notice
NODE_DIR := tests/js
NODE_STAMP := $(NODE_DIR)/node_modules/.installed

$(NODE_STAMP): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "NOTICE: npm not found: the ajv and Lighthouse tests will be skipped (apt-get install npm)"; \
	elif npm install --prefix $(NODE_DIR) --no-save --no-audit --no-fund --loglevel=error; then \
	  touch $@; \
	else \
	  echo "NOTICE: npm could not install ajv and Lighthouse: their tests will be skipped"; \
	fi

node-tools: $(NODE_STAMP)

unit: $(DEV_STAMP) browser node-tools
	$(BIN)/pytest

TABLES := api_prices hardware gpu_prices throughput fx running_costs

## schema: regenerate schemas/ from the models (commit the result)
schema: $(RUNTIME_STAMP)
	$(BIN)/citeguide schema > schemas/cite.schema.json
	$(BIN)/citeguide schema --index > schemas/cite-index.schema.json
	mkdir -p schemas/data
	for t in $(TABLES); do $(BIN)/citeguide schema --table $$t > schemas/data/$$t.schema.json; done

## templates: recompile the packaged templates into src/citeguide/render/compiled/ after
## editing templates/ (commit the result; a test says when it is due)
templates: $(RUNTIME_STAMP)
	$(BIN)/python -m citeguide.render.compile_templates

## docs: regenerate the reference tables in docs/ from the code
docs: $(RUNTIME_STAMP)
	$(BIN)/python -m citeguide.docs docs/*.md

## screenshots: the README's screenshots, taken by the browser tests (commit the result)
screenshots: $(DEV_STAMP) browser
	$(BIN)/pytest -q tests/sites/test_browser.py -k screenshots
	mkdir -p docs/screenshots
	cp tests/artifacts/reader-*.png docs/screenshots/

clean:
	rm -rf site build .site.staging-* .site.old-* dist
