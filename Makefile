# The two commands of the README's quick start: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000

# camel-tools' BERT NER model runs on torch and transformers, the BERT extra
# (requirements-bert.txt): `make bert` installs it and the model, `make test`
# installs it for the tests; `make run` serves without it. On x86_64 Linux
# torch's CPU build comes from PyTorch's own index (PyPI's is the CUDA build,
# several GB); TORCH_INDEX= leaves that index out when the wheel is at hand
# (a pip find-links folder, a mirror).
ifeq ($(shell uname -sm),Linux x86_64)
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
endif
# camel-tools is installed without the dependencies it declares: pip would
# list them as missing after every later install (--no-warn-conflicts).
PIP := $(VENV)/bin/pip install --no-warn-conflicts
# torch alone, at the version requirements-bert.txt pins, from PyTorch's index
# too: only torch is looked up there, so an unreachable index costs one
# lookup's retries, not one per package.
# The wheel at hand (a find-links folder, a mirror, a cache) is tried first, without the
# index: where PyTorch's index cannot be reached and connections hang rather than fail,
# pip would wait its whole timeout for each retry.
TORCH_INSTALL := $(PIP) --no-deps -c requirements-bert.txt torch || \
	$(PIP) --no-deps $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX)) -c requirements-bert.txt torch

.PHONY: run serve bert morphology test test-postgres lint format bench chromium clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

# camel-tools goes in last and without its declared dependencies (torch,
# transformers, pandas, scikit-learn…): requirements.txt lists those of the
# parts the site uses.
$(VENV)/.run-installed: requirements.txt requirements-camel.txt | $(VENV)/bin/python
	$(PIP) -r requirements.txt
	$(PIP) --no-deps -r requirements-camel.txt
	touch $@

$(VENV)/.bert-installed: requirements-bert.txt $(VENV)/.run-installed
	$(TORCH_INSTALL)
	$(PIP) -r requirements-bert.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-camel.txt requirements-bert.txt requirements-dev.txt | $(VENV)/bin/python
	$(TORCH_INSTALL)
	$(PIP) -r requirements-dev.txt
	$(PIP) --no-deps -r requirements-camel.txt
	touch $@ $(VENV)/.run-installed $(VENV)/.bert-installed

# Local settings, written once and kept out of git: every command (manage.py
# create_editor, shell, …) reads them, not only `make run`. The secret key
# stays the same across restarts so that logins survive (an older checkout's
# var/secret_key is reused).
.env:
	@umask 077; { \
	  echo "# Local settings written by make run (git-ignored). See .env.example for every variable."; \
	  echo "DJANGO_SECRET_KEY=$$(cat var/secret_key 2>/dev/null || $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
	  echo "DJANGO_DEBUG=1"; \
	  echo "DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3"; \
	} > $@
	@echo "Wrote .env (secret key, debug, database): edit it to change them."

# The exports' ids (SITE_URL) follow the address served, unless the environment or .env sets one.
run: $(VENV)/.run-installed .env
	export SITE_URL="$${SITE_URL:-$$(sed -n 's/^SITE_URL=//p' .env | tail -n 1)}"; \
	export SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py load_gazetteer && \
	$(PY) manage.py install_ner_model && \
	$(PY) manage.py import_articles --publish seeds/ && \
	$(PY) manage.py ensure_admin && \
	{ $(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	  echo "Serving on http://$(HOST):$(PORT)/ (task worker pid $$worker; exports name it $$SITE_URL)"; \
	  $(PY) manage.py runserver $(HOST):$(PORT); }

# The BERT extra (torch's CPU build, transformers) and camel-tools' BERT NER
# model (about 540 MB, downloaded and checked by install_ner_model): entities
# from it as well as the gazetteer and the shipped model, from the next
# recognition on. Needs the network (PyPI, PyTorch's index, GitHub).
bert: $(VENV)/.bert-installed .env
	$(PY) manage.py install_ner_model --strict

# camel-tools' morphology database (about 40 MB, GPL v2, downloaded and checked by
# install_morphology_db): word lookup gives each word's root from it, from the next start
# (Buckwalter's lexicon, installed with requirements.txt, is used until then). Needs the network.
morphology: $(VENV)/.run-installed .env
	$(PY) manage.py install_morphology_db --strict

# As in production: DJANGO_DEBUG=0, collected static files served by WhiteNoise,
# gunicorn's worker processes (newsreader/gunicorn.conf.py) and the task worker.
# Behind a TLS proxy, set DJANGO_SECURE_SSL_REDIRECT=1 and DJANGO_ALLOWED_HOSTS.
serve: $(VENV)/.run-installed .env
	export DJANGO_DEBUG=0 \
	  DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	  DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}" \
	  GUNICORN_BIND="$${GUNICORN_BIND:-$(HOST):$(PORT)}"; \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	$(PY) manage.py load_gazetteer && \
	{ $(PY) manage.py db_worker & worker=$$!; \
	  $(PY) manage.py fetch_feeds --every $${FEEDS_EVERY:-900} & feeds=$$!; \
	  trap 'kill $$worker $$feeds 2>/dev/null' EXIT; \
	  echo "Serving on http://$$GUNICORN_BIND/ with gunicorn (task worker pid $$worker, feeds every $${FEEDS_EVERY:-900} s pid $$feeds)"; \
	  $(VENV)/bin/gunicorn -c newsreader/gunicorn.conf.py; }

# Debian packages the tests need: chromium drives the browser tests, Noto gives
# Arabic and Latin glyphs, PostgreSQL's server runs the PostgreSQL tests.
chromium:
	@{ command -v chromium && fc-list | grep -q "Noto Naskh Arabic" && \
	   { command -v initdb || ls /usr/lib/postgresql/*/bin/initdb; }; } >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends \
	    chromium fonts-noto-core postgresql; }

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: $(VENV)/.dev-installed chromium
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

# The whole suite again on a throwaway PostgreSQL server (make test runs a
# PostgreSQL smoke test already; this is the thorough version).
test-postgres: $(VENV)/.dev-installed chromium
	@set -e; dir=$$(mktemp -d); port=55$$(( RANDOM % 900 + 100 )); \
	as=""; [ "$$(id -u)" = 0 ] && { chown postgres:postgres $$dir; as="runuser -u postgres --"; }; \
	bin=$$(dirname $$(command -v initdb || echo /usr/lib/postgresql/15/bin/initdb)); \
	$$as $$bin/initdb -D $$dir/data -U postgres --auth=trust -E UTF8 >/dev/null; \
	$$as $$bin/pg_ctl -D $$dir/data -o "-p $$port -k $$dir -c listen_addresses=127.0.0.1 -c fsync=off" -l $$dir/log -w start >/dev/null; \
	trap "$$as $$bin/pg_ctl -D $$dir/data -m immediate stop >/dev/null; rm -rf $$dir" EXIT; \
	DATABASE_URL=postgres://postgres@127.0.0.1:$$port/postgres $(PY) -m pytest

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis screenshots
