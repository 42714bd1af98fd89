# Khabar: `make demo` to see it, `make test` to check it. Needs only Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
PURE := khabar/arabic khabar/extract khabar/stories khabar/search khabar/fetch

.PHONY: install demo test lint typecheck pytest bench clean lock

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed: install python3.11 and run make again"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

demo: install
	$(BIN)/khabar migrate --no-input
	$(BIN)/khabar demo

test: install lint typecheck pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy $(PURE)

pytest: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python -m bench

# Re-pin requirements.lock from pyproject.toml (run by a maintainer, not by users).
lock:
	rm -rf /tmp/khabar-lock && $(PYTHON) -m venv /tmp/khabar-lock
	/tmp/khabar-lock/bin/pip install --quiet '.[test]'
	/tmp/khabar-lock/bin/pip freeze --exclude khabar > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
