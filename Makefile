# The two set-up commands are `make run` and `make test`; both install what they need.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --quiet --disable-pip-version-check

.PHONY: run test lint typecheck unit browser bench bench-quick clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's metadata changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	@$(PIP) install -e '.[dev]'
	@touch $@ $(VENV)/.installed

## run: chat with the assistant (console when no platform token is set)
run: $(VENV)/.installed
	@$(BIN)/clusterbot run

## test: lint, type-check and run the test suite
test: lint typecheck unit

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check bot storage tests benchmarks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy --strict bot storage

unit: $(VENV)/.installed-dev browser
	$(BIN)/pytest

# The web view's browser tests drive Debian's Chromium through its chromedriver; a test tool's
# own browser download does not work here. Installed once (as root, or with sudo).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
			chromium chromium-driver >/dev/null; }

## bench: run the benchmarks and print medians and ratios
bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks

bench-quick: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks --quick

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
