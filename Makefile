# Khabar: `make demo` to see it, `make test` to check it. Needs Python 3.11 and Node.js 20 (npm).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
PURE := khabar/arabic khabar/extract khabar/stories khabar/search khabar/fetch

.PHONY: install assets demo test lint typecheck pytest bench clean lock

install: $(STAMP) assets

$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed: install python3.11 and run make again"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

# Front-end files the site serves itself (no CDN): the HLS player and the Arabic web fonts.
# npm ci empties node_modules/, so its stamp (named for the lock) goes when the lock changes.
NPM_STAMP := node_modules/.installed-$(shell cksum < package-lock.json | cut -d' ' -f1)
VENDOR := khabar/site/static/vendor
FONTSOURCE := node_modules/@fontsource
# Two families (Naskh for reading, Kufi for the interface), Arabic + Latin subsets, 400 and 700.
FONTS := $(foreach family,noto-naskh-arabic noto-kufi-arabic,$(foreach subset,arabic latin,\
	$(foreach weight,400 700,$(family)-$(subset)-$(weight)-normal.woff2)))
VENDOR_FILES := $(VENDOR)/hls.min.js $(VENDOR)/hls.min.js.map $(VENDOR)/hls.js-LICENSE.txt $(VENDOR)/fonts/OFL.txt \
	$(addprefix $(VENDOR)/fonts/,$(FONTS))

assets: $(VENDOR_FILES)

$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "Node.js 20 and npm are needed for the site's player and fonts: install them (apt-get install nodejs npm) and run make again"; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

$(VENDOR)/hls.min.js: $(NPM_STAMP)
	@mkdir -p $(@D)
	cp node_modules/hls.js/dist/hls.min.js $@

# The map too: hls.min.js names it, and the hashed static storage follows that reference.
$(VENDOR)/hls.min.js.map: $(NPM_STAMP)
	@mkdir -p $(@D)
	cp node_modules/hls.js/dist/hls.min.js.map $@

$(VENDOR)/hls.js-LICENSE.txt: $(NPM_STAMP)
	@mkdir -p $(@D)
	cp node_modules/hls.js/LICENSE $@

# One OFL text for both families: each family's copyright line, then the licence once.
$(VENDOR)/fonts/OFL.txt: $(NPM_STAMP)
	@mkdir -p $(@D)
	{ head -n 1 $(FONTSOURCE)/noto-kufi-arabic/LICENSE; cat $(FONTSOURCE)/noto-naskh-arabic/LICENSE; } > $@

$(VENDOR)/fonts/%.woff2: $(NPM_STAMP)
	@mkdir -p $(@D)
	cp $(FONTSOURCE)/*/files/$*.woff2 $@

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
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache node_modules $(VENDOR)
