# ketenconf: `make demo` to try it, `make test` to test it. Nothing else needs installing by hand.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP_BASE := $(VENV)/.installed-base
STAMP_DEV := $(VENV)/.installed-dev
ASSETS := ketenconf/core/static/vendor/.built

.PHONY: help install install-dev assets demo serve serve-prod test test-fast lint lock messages browser pdf clean screenshots

help:
	@echo "make demo   install, build, migrate, load the demo editions and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   install what the tests need and run the whole suite (SQLite, PostgreSQL, browser)"
	@echo "make lint   ruff, mypy and the import contract"
	@echo "make lock   re-pin requirements/*.txt from requirements/*.in"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_BASE): requirements/base.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(STAMP_DEV): requirements/dev.txt $(STAMP_BASE)
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@

install: $(STAMP_BASE)
install-dev: $(STAMP_DEV)

$(ASSETS): frontend/package.json frontend/package-lock.json frontend/build.mjs
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build
	touch $@

assets: $(ASSETS)

# Links in mails, calendar addresses and schedule exports point at the port served on, unless
# KETENCONF_BASE_URL says otherwise (the settings read KETENCONF_PORT).
demo serve serve-prod: export KETENCONF_PORT = $(PORT)
# The demo's logins sign in with a password alone, so it can be tried at once; the demo
# command says so when it prints them. Everywhere else the second factor is required.
demo: export KETENCONF_REQUIRE_2FA ?= false

demo: install assets pdf
	$(BIN)/ketenconf migrate --noinput
	$(BIN)/ketenconf demo --port $(PORT)
	@echo "Serving http://127.0.0.1:$(PORT)/ with the background worker beside it; Ctrl-C stops both."
	@$(BIN)/ketenconf worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/ketenconf runserver 127.0.0.1:$(PORT)

serve: install assets
	$(BIN)/ketenconf runserver 127.0.0.1:$(PORT)

# The production set-up on this machine: collected static files, granian, the worker beside it.
serve-prod: install assets
	$(BIN)/ketenconf migrate --noinput
	KETENCONF_STATIC_MANIFEST=true $(BIN)/ketenconf collectstatic --noinput -v0
	@echo "Serving http://127.0.0.1:$(PORT)/ with granian and the worker; Ctrl-C stops both."
	@$(BIN)/ketenconf worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  KETENCONF_STATIC_MANIFEST=true KETENCONF_BIND=127.0.0.1:$(PORT) $(BIN)/ketenconf serve

# Pango for WeasyPrint's badges, and poppler-utils (pdftoppm) to look at them; from Debian,
# installed when missing and we may (root).
pdf:
	@$(BIN)/python -c "import weasyprint" >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's Pango and poppler-utils for the PDF badges"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null; \
	  else echo "PDF badges need Debian's Pango: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 poppler-utils"; fi; }

# Debian's Chromium for the browser tests; installed when missing and we may (root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; fi; }

test: install-dev assets browser pdf
	bash scripts/test.sh $(ARGS)

# The suite on SQLite only, without the browser: for a quick loop while writing code.
test-fast: install-dev assets
	KETENCONF_TEST_BROWSER=0 KETENCONF_TEST_POSTGRES=0 bash scripts/test.sh $(ARGS)

# PNGs of the main pages at a phone's and a desktop's width into docs/screenshots/, from the
# demo in a database of its own (var/screenshots/); see scripts/screenshots.py.
screenshots: install-dev assets browser
	$(BIN)/python scripts/screenshots.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy ketenconf
	$(BIN)/lint-imports

messages: install-dev
	cd ketenconf && ../$(BIN)/ketenconf makemessages -l nl --no-obsolete --add-location file
	cd ketenconf && ../$(BIN)/ketenconf compilemessages -l nl

lock: $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	cd requirements && ../$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links base.in -o base.txt
	cd requirements && ../$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links dev.in -o dev.txt

clean:
	rm -rf $(VENV) frontend/node_modules ketenconf/core/static/vendor var/static
