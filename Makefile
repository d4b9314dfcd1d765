# The two commands of the README: `make run` and `make test`. Both work on a fresh machine
# with Python 3.11: they create the virtual environment and install what they need.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
VENDOR := src/teamline/web/static/vendor/jsQR.js

.PHONY: run test lint bench install vendor chromium clean

run: install vendor
	$(BIN)/teamline serve --demo

test: install vendor chromium
	scripts/test.sh

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: install
	$(BIN)/python -m bench

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

vendor: $(VENDOR)

$(VENDOR):
	scripts/vendor.sh

chromium:
	@test -x /usr/bin/chromium || scripts/apt-install.sh chromium

clean:
	rm -rf $(VENV) .venv-synapse src/teamline/web/static/vendor build
