# Two commands for a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
FLASK  := $(BIN)/flask --app webapp

.PHONY: run test install install-test translations browser speech lint bench bench-nginx mutation fuzz \
        lock clean cluster cluster-test load

$(VENV)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.lock
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

translations: install
	$(BIN)/pybabel compile --domain messages --directory translations >/dev/null

## Start the app with demo data on SQLite at http://127.0.0.1:$(PORT), and beside it the worker
## that sends messages (in development they appear at /dev/tin-nhan). The worker stops with
## the server: on Ctrl+C, on a failed start, or when the server exits.
run: install translations speech
	$(FLASK) demo load
	$(FLASK) housekeeping
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl+C to stop); messages: http://127.0.0.1:$(PORT)/dev/tin-nhan"
	$(FLASK) notifications send --loop & worker=$$!; \
	$(FLASK) news audio --loop & reader=$$!; \
	trap 'kill $$worker $$reader 2>/dev/null; wait $$worker $$reader' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:$(PORT) --forwarded-allow-ips 127.0.0.1 'webapp:create_app()'

## Debian's Chromium and Noto fonts for the browser tests (installed when running as root)
browser:
	@if command -v chromium >/dev/null && dpkg -s fonts-noto-core >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null; \
	else echo "Browser tests need Debian's chromium and fonts-noto-core (sudo apt-get install chromium fonts-noto-core)"; fi

## espeak-ng and ffmpeg from Debian for "Nghe đọc" (installed when running as root)
speech:
	@if command -v espeak-ng >/dev/null && command -v ffmpeg >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng ffmpeg >/dev/null; \
	else echo "'Nghe đọc' needs Debian's espeak-ng and ffmpeg (sudo apt-get install espeak-ng ffmpeg)"; fi

## Run every test (SQLite always; PostgreSQL too when it is reachable), in TEST_WORKERS processes
## (pytest-xdist; each has its own databases, upload folder and browser). TEST_WORKERS=0: one.
TEST_WORKERS ?= 2
test: install-test translations browser speech
	$(BIN)/ruff check webapp tests migrations wsgi.py gunicorn.conf.py
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest -n $(TEST_WORKERS)

## Debian's HAProxy and Redis server for the multi-instance test and the load run (as root)
cluster:
	@if command -v haproxy >/dev/null && command -v redis-server >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy redis-server >/dev/null; \
	else echo "The cluster runs need Debian's haproxy and redis-server (sudo apt-get install haproxy redis-server)"; fi

## Two gunicorn instances behind HAProxy on one PostgreSQL and Redis: a citizen moves between
## them mid-wizard, photos included (about 2 minutes; not part of `make test`, docs/operations.md)
cluster-test: install-test translations browser cluster
	CLUSTER_TESTS=1 $(BIN)/pytest tests/cluster $(ARGS)

## Load and fault run with locust through HAProxy (about 8 minutes, not part of `make test`):
## private PostgreSQL restarted, Redis and the object store stopped, an instance killed;
## checks that nothing was lost; figures in bench-results/load.md (docs/benchmarks.md)
load: install-test translations cluster
	$(BIN)/python -m tests.cluster.faults $(ARGS)

lint: install-test
	$(BIN)/ruff check webapp tests migrations wsgi.py gunicorn.conf.py
	$(BIN)/lint-imports --no-cache

## Benchmark with gunicorn (2 workers) on demo data; writes bench-results/latest.md
bench: install-test translations
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null 2>&1; } || echo "wrk not installed: saturation is measured with a slower Python client"
	$(BIN)/python -m tests.bench.run

## The anonymous home page against nginx serving the same bytes, side by side with wrk (issue
## 15's target: 10 %); writes bench-results/nginx-share.md. Installs Debian's wrk and nginx.
bench-nginx: install-test translations
	@if command -v wrk >/dev/null && test -x /usr/sbin/nginx; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null; \
	else echo "bench-nginx needs Debian's wrk and nginx (sudo apt-get install wrk nginx)"; fi
	$(BIN)/python -m tests.bench.nginx_share

## Mutation testing of the modules that guard citizens (long, not part of `make test`): mutmut
## runs each module of [tool.mutation.modules] in pyproject.toml against the tests that call it,
## at the lowest CPU priority; figures and unexplained survivors at the end (docs/testing.md).
## One module, keeping earlier results: make mutation MODULES=webapp/core/ratelimit.py ARGS=--keep
mutation: install-test translations
	nice -n 19 $(BIN)/python -m tests.mutation.run $(MODULES) $(ARGS)

## Fuzz the PDF inspection for FUZZ_SECONDS (default 10 minutes), nice'd; the test suite runs 30 s
FUZZ_SECONDS ?= 600
fuzz: install-test
	nice -n 19 $(BIN)/python -m tests.uploads.fuzz_pdf --seconds $(FUZZ_SECONDS)

## Rewrite the lock files from requirements*.in in a throw-away virtual environment
lock:
	rm -rf /tmp/webapp-lock && $(PYTHON) -m venv /tmp/webapp-lock
	/tmp/webapp-lock/bin/pip install --quiet -r requirements.in
	(echo "# Generated by 'make lock' from requirements.in: every runtime package, exact versions."; /tmp/webapp-lock/bin/pip freeze) > requirements.lock
	/tmp/webapp-lock/bin/pip install --quiet -r requirements-test.in
	(echo "# Generated by 'make lock' from requirements-test.in, on top of requirements.lock."; /tmp/webapp-lock/bin/pip freeze | grep -v -x -F -f requirements.lock) > requirements-test.lock

clean:
	rm -rf $(VENV) instance .pytest_cache bench-results .mutation
