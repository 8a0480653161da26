# Two entry points for people: `make run` (the dashboard) and `make test` (the whole suite);
# `make test-fast` is the edit loop (no browser, no app server). All set everything up on
# first use; nothing else needs to be installed by hand. `make run` installs the runtime
# dependencies only; the test tools (the dev group) come with the first `make test`.
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test test-fast setup setup-run browser servers lint docs bench bench-load clean

run: setup-run
	$(BIN)/netralitas serve

test: setup browser servers
	$(BIN)/ruff check .
	$(BIN)/mypy dashboard schemas
	$(BIN)/pytest

# the edit loop: everything but the real-browser tests and the tests that start app servers
test-fast: setup
	$(BIN)/ruff check .
	$(BIN)/mypy dashboard schemas
	$(BIN)/pytest -m "not browser and not server"

# Bytecode is compiled once here: where PYTHONDONTWRITEBYTECODE is set, every process would
# otherwise compile pandas, pandera and the project again (seconds per CLI call).
setup: $(VENV)/.synced-dev
	@$(BIN)/python -m compileall -q -j0 dashboard schemas benchmarks >/dev/null

# Bytecode for what serving loads, written as Python imports it (the server's modules and
# the libraries they import: ~1,500 files, not the ~7,900 of every runtime dependency);
# whatever a page loads later is compiled when it is first imported.
SERVE_IMPORTS := dashboard.cli.main, dashboard.web.asgi, dashboard.install.builtin, \
	streamlit.web.bootstrap, polars, pyarrow, duckdb, plotly.graph_objects, pydeck
setup-run: $(VENV)/.synced-run
	@$(BIN)/python -m compileall -q -j0 dashboard schemas >/dev/null

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Runtime dependencies only (no dev group); --inexact keeps the test tools when `make test`
# has installed them (a later `make test` need not reinstall them).
$(VENV)/.synced-run: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --no-dev --inexact --python $(PYTHON)
	@PYTHONDONTWRITEBYTECODE= $(BIN)/python -c "import $(SERVE_IMPORTS)" 2>/dev/null || true
	touch $@

# Everything, the dev group (pytest, ruff, mypy, Playwright, ...) included, all compiled:
# the suite starts many processes.
$(VENV)/.synced-dev: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --compile-bytecode --python $(PYTHON)
	touch $@

# Debian's Chromium for the real-browser tests (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium (sudo apt-get install chromium) for the browser tests"; exit 1; fi; }

# Debian's PostgreSQL server and nginx: the tests start a throwaway cluster of their own
# (initdb + pg_ctl in a temporary folder, as the postgres user when run as root) and an
# nginx on loopback in front of two app processes; neither package's own service is used.
servers:
	@{ ls /usr/lib/postgresql/*/bin/initdb && test -x /usr/sbin/nginx; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql nginx >/dev/null; \
	  else echo "Install Debian's postgresql and nginx (sudo apt-get install postgresql nginx) for the tests"; exit 1; fi; }

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# docs/cli.md is generated from the click commands (a test fails when it is out of date)
docs: setup-run
	$(BIN)/python -m dashboard.cli.reference docs

bench: setup
	$(BIN)/python benchmarks/run.py
	$(MAKE) bench-load

# Simulated readers over Streamlit's websocket (loopback only, each run bounded to 60 s):
# {DuckDB, PostgreSQL} x {1, 2 app processes} on the 4.3 M national store, 50 readers each
# changing a filter every 5 s; PostgreSQL is a throwaway cluster started for the run.
bench-load: setup servers
	$(BIN)/python benchmarks/load_matrix.py --officials 4300000 --users 50 --think 5 --duration 60

clean:
	rm -rf $(VENV) $(TOOLS)
