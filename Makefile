# Two commands for a newcomer: `make run` and `make test`. Everything installs into .venv.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run demo test test-sqlite lint system-packages bench clean messages translations gettext

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# A development checkout says so in .env (git-ignored), so plain `manage.py` commands work here too.
.env:
	printf '# Local development only (written by make). Production sets its environment itself.\nDEBUG=1\n' > .env

## make run: migrate, load the demo data and demo users, serve on http://127.0.0.1:8000
run: install .env translations
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

## make demo: (re)load the demo data and demo users into the configured database
demo: install .env translations
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo

## make test: the whole suite (PostgreSQL when DATABASE_URL is set, else SQLite), one pytest-xdist worker per
## core, each with its own test database. `make test PYTEST_ARGS="-n0 tests/cases"` runs a part in one process.
PYTEST_ARGS ?= -n auto
test: install system-packages translations
	$(PY) -m pytest $(PYTEST_ARGS)

## make lint: ruff, and the import-linter contract that apps depend downward only
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

## system-packages: what pip cannot install. chromium (the browser the e2e tests drive; Playwright cannot
## download one here), gettext (compiles the translations), Pango and DejaVu fonts (WeasyPrint's PDFs).
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

## make messages: after adding or changing a translatable string, refresh locale/{ru,kk}/LC_MESSAGES/django.po;
## then translate the new entries (no empty msgstr, no "fuzzy" flag: tests/core/test_translations.py checks) and commit the .po
messages: install .env | gettext
	DEBUG=$${DEBUG:-1} $(PY) manage.py makemessages -l ru -l kk --add-location=file \
	  --ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles --ignore=media

# The .mo files are built here, not committed: each is rebuilt only when its .po is newer.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po locale/django/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
translations: $(MO_FILES)

locale/%.mo: locale/%.po | gettext
	msgfmt --check -o $@ $<

# msgfmt alone (not the whole system-packages list), so `make run` on a fresh machine can compile translations.
gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  echo "Installing Debian packages: gettext"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gettext >/dev/null; \
	}

bench: install
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache $(MO_FILES)
