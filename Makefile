# The two commands a newcomer needs: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test test-postgres bench fuzz loadtest screenshots lint format lock messages install clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Monev SPBE needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# The venv's own pip is whatever the machine's Python bundles, and old ones resolve extras
	@# against the newest upstream release even in hash mode. So the venv first gets the pip the
	@# lock pins (by hash), then installs the lock exactly as written: --no-deps, because the
	@# lock already lists every package, and `pip check` proves that the set is complete.
	@awk '/^pip==/ {p = 1} p {print} p && !/\\$$/ {exit}' requirements.lock > $(VENV)/pip.lock
	@test -s $(VENV)/pip.lock || { echo "requirements.lock pins no pip (make lock keeps it)" >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(VENV)/pip.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check --disable-pip-version-check
	@rm -f $(VENV)/.installed-*
	@touch $@

run: install
	@echo "Monev SPBE: preparing the database in $${MONEV_DATA_DIR:-./var} ..."
	$(BIN)/monev migrate --no-input
	$(BIN)/monev demo --if-empty
	@echo "Serving at http://$(HOST):$(PORT)/ with a background worker (Ctrl+C stops both)"
	@$(BIN)/monev worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		MONEV_DEBUG=$${MONEV_DEBUG:-true} $(BIN)/monev runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite on PostgreSQL (CI runs both).
test-postgres: install
	DATABASE_URL=$${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/monev} $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m benchmarks

# The API against its OpenAPI document with many more generated requests than `make test`.
fuzz: install
	MONEV_FUZZ_EXAMPLES=$${MONEV_FUZZ_EXAMPLES:-100} $(BIN)/python -m pytest tests/api/test_api_schema_fuzz.py -q -p no:cacheprovider

# Load and fault test against a production server on loopback (not part of `make test`; needs
# PostgreSQL; 8-15 minutes, 3 more the first time). Keeps its database between runs; add
# --drop to LOADTEST_ARGS to remove it afterwards. docs/performance.md has the figures.
LOADTEST_USERS    ?= 200
LOADTEST_DURATION ?= 300
LOADTEST_FAULT    ?= 120
LOADTEST_ARGS     ?=
loadtest: install
	$(BIN)/python -m loadtest --reuse --users $(LOADTEST_USERS) --duration $(LOADTEST_DURATION) \
		--fault-duration $(LOADTEST_FAULT) $(LOADTEST_ARGS)

# PNGs of each role's main page at 1366 and 390 px wide into docs/screenshots/, listed in
# docs/screenshots.md: the demo in a throwaway database, served on loopback, photographed in
# headless chromium (about a minute; not part of `make test`).
screenshots: install
	$(BIN)/python -m tools.screenshots

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/monev makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the lock file after changing dependencies in pyproject.toml.
lock: install
	$(BIN)/pip-compile --quiet --extra dev --generate-hashes --strip-extras --allow-unsafe \
		-o requirements.lock pyproject.toml

# Extract and compile translations (needs GNU gettext; the compiled .mo files are committed).
messages: install
	cd src/monev && MONEV_DATA_DIR=../../var ../../$(BIN)/monev makemessages --locale en --locale id --no-obsolete
	cd src/monev && MONEV_DATA_DIR=../../var ../../$(BIN)/monev compilemessages

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
