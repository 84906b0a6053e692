# sop-lms: the README's commands. `make run` serves a seeded demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed
PIP_QUIET ?= -q

.PHONY: install run test lint format bench wrk chromium libreoffice pango node_modules clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_QUIET) --upgrade "pip>=24"
	$(BIN)/python -m pip install $(PIP_QUIET) -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install pango
	$(BIN)/sop-lms db upgrade
	$(BIN)/sop-lms seed-demo --if-empty
	@echo ""
	@echo "sop-lms is serving on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(BIN)/sop-lms run --host $(HOST) --port $(PORT) --no-reload

# The benchmarks, scaled down (`--quick`); each prints its ratios and a JSON line. The dashboard benchmark
# drives gunicorn with wrk (Debian's package), installed here like chromium. PostgreSQL is measured too when
# TEST_DATABASE_URL is set. Full sizes: run a script without --quick (see the README's Performance section).
BENCH_QUICK := submit export dashboard analytics

wrk:
	@if ! command -v wrk >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's wrk for the dashboard benchmark..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) \
	      || echo "WARNING: could not install wrk: bench/dashboard.py will refuse to run"; \
	  else \
	    echo "WARNING: wrk is missing and this is not root: bench/dashboard.py will refuse to run"; \
	  fi; \
	fi

bench: install wrk
	@for name in $(BENCH_QUICK); do echo "== bench/$$name.py --quick"; $(BIN)/python bench/$$name.py --quick --json | tail -1; done

# Browser tests drive Debian's Chromium; install it when missing and we may (root), otherwise the
# browser tests are skipped and the summary says so.
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "WARNING: could not install chromium: browser tests will be SKIPPED"; \
	  else \
	    echo "WARNING: chromium is missing and this is not root: browser tests will be SKIPPED"; \
	  fi; \
	fi

# The format-parity test turns SOPs into Word and PDF files with LibreOffice (Debian's Writer, no GUI);
# installed like chromium, otherwise that test is skipped and the summary says so.
libreoffice:
	@if ! command -v soffice >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's LibreOffice Writer for the format-parity test..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      libreoffice-writer-nogui >/dev/null) \
	      || echo "WARNING: could not install LibreOffice: the format-parity test will be SKIPPED"; \
	  else \
	    echo "WARNING: LibreOffice is missing and this is not root: the format-parity test will be SKIPPED"; \
	  fi; \
	fi

# WeasyPrint lays out the report PDFs with Pango (Debian's libpango, libpangoft2 and libharfbuzz-subset);
# installed like chromium, otherwise a PDF download says what is missing and the PDF tests are skipped.
PANGO_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
pango:
	@if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0 || ! ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset.so.0; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's Pango for the report PDFs..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PANGO_LIBS) >/dev/null) \
	      || echo "WARNING: could not install Pango: report PDFs will not work and their tests will be SKIPPED"; \
	  else \
	    echo "WARNING: Pango is missing and this is not root: report PDFs will not work ($(PANGO_LIBS))"; \
	  fi; \
	fi

# npm packages the tests use (axe-core for the accessibility test), exactly as package-lock.json pins them;
# reinstalled only when package.json or the lockfile change. Without npm that test is skipped.
NPM_STAMP := node_modules/.sop-lms-installed

$(NPM_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --ignore-scripts && touch $(NPM_STAMP) \
	    || echo "WARNING: npm ci failed: the accessibility test will be SKIPPED"; \
	else \
	  echo "WARNING: npm is missing: the accessibility test will be SKIPPED"; \
	fi

node_modules: $(NPM_STAMP)

test: install chromium libreoffice pango node_modules
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
