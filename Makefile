# The only entry points: run, test, bench (see README.md and docs/architecture.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench lint fmt lock clean system-deps run-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements/run.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/run.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e . 2>/dev/null || $(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements/dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(VENV)/.run-installed $@

# Debian packages: Pango for PDF reports (WeasyPrint); chromium and pdftotext for the tests; caddy
# for the test of server mode behind TLS (docs/deploy.md).
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0
TEST_DEBS := $(RUN_DEBS) chromium poppler-utils caddy

define apt_ensure
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

system-deps:
	$(call apt_ensure,$(TEST_DEBS))

run-deps:
	$(call apt_ensure,$(RUN_DEBS))

run: $(VENV)/.run-installed run-deps
	$(BIN)/mitra migrate
	$(BIN)/mitra serve --host $(HOST) --port $(PORT)

test: $(VENV)/.dev-installed system-deps
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/cog --check docs/cli.md
	$(BIN)/pytest --numprocesses=3 --cov --cov-report=term --cov-fail-under=90
	$(BIN)/coverage report --include='src/mitra/domain/*' --fail-under=100

bench: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

fmt: $(VENV)/.dev-installed
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

# Regenerate the locked dependency files after changing pyproject.toml (needs `uv`). The overrides
# and excludes lift the research libraries' stale pins; each file says why, line by line.
LOCK_FLAGS := --generate-hashes --python-version 3.11 --overrides requirements/overrides.txt \
	--excludes requirements/excludes.txt
lock:
	uv pip compile pyproject.toml $(LOCK_FLAGS) -o requirements/run.lock
	uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) -o requirements/dev.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov

# Full reliability suites (1,000 SIGKILLs, longer fuzzing and concurrency; see docs/reliability.md).
.PHONY: reliability bench-load
reliability: $(VENV)/.dev-installed system-deps
	$(BIN)/pytest tests/reliability --full

# Page one of the clinician report for a seeded demo journal, as docs/images/report-page-1.png.
.PHONY: report-images
report-images: $(VENV)/.dev-installed run-deps
	$(BIN)/python -m benchmarks.report_images

# Phone-size (390x844) screenshots of Home, logging, check-in, Insights and the crisis page for a
# seeded demo journal, into docs/images (needs Debian's chromium).
.PHONY: screenshots
screenshots: $(VENV)/.dev-installed run-deps
	$(BIN)/python -m benchmarks.phone_screenshots

# The web app's home-screen icons (SVG + PNG) into the package's static/icons.
.PHONY: icons
icons: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks.app_icons

# API load benchmark (minutes; needs wrk and taskset): Mitra vs bare Starlette + raw sqlite3.
bench-load: $(VENV)/.dev-installed
	BENCH_LOAD=1 $(BIN)/python -m benchmarks.load

# Clinician dashboard load (issue #21; minutes: seeds 500 demo years): 500 patients vs 50.
.PHONY: bench-clinic
bench-clinic: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks.clinic_dashboard

# Server mode at scale (issue #20): BENCH_JOURNALS journals on the PostgreSQL at BENCH_DATABASE_URL
# (default 1,000 copies of a BENCH_DAYS=365 demo journal), 50 sessions, p99 vs one journal.
.PHONY: bench-server
bench-server: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks.server_load
