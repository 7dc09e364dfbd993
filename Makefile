# paykit: two commands for a fresh machine (see README.md).
#   make lab   set up what the notebooks need and open them in JupyterLab (notebook 00)
#   make test  set up everything, test tools included, and run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
VENV_STAMP := $(VENV)/.paykit-venv
# what `make lab` installs: the notebooks extra only (JupyterLab, widgets, graphs, logs, SDK)
LAB_STAMP  := $(VENV)/.paykit-notebooks
# what `make test` installs: every extra and the test tools
STAMP      := $(VENV)/.paykit-installed

.PHONY: lab test lint bench notebooks clean system-deps

$(VENV_STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "paykit needs Python >= 3.11 (found: $$($(PYTHON) --version))"; exit 1; }
	@$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c 'import ensurepip' 2>/dev/null || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	    apt-get update -qq && apt-get install -y -qq python3-venv; } || \
	  { echo "install the venv module: sudo apt-get install python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@touch $(VENV_STAMP)

$(LAB_STAMP): pyproject.toml $(VENV_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[notebooks]'
	@touch $(LAB_STAMP)

$(STAMP): pyproject.toml $(VENV_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[all,dev]'
	@touch $(STAMP) $(LAB_STAMP)

system-deps:
	@bash .ci/system-deps

# The printed URL opens notebook 00 (LabApp.default_url); as root (containers) Jupyter
# needs --allow-root.
lab: $(LAB_STAMP)
	$(BIN)/jupyter lab $$([ "$$(id -u)" = 0 ] && echo --allow-root) \
	  --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb

test: $(STAMP) system-deps
	$(BIN)/python -m ruff check paykit tests benchmarks notebooks tools
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/python -m ruff check paykit tests benchmarks notebooks tools
	$(BIN)/python -m mypy

# Regenerate the course's navigation and appendix, and re-execute every notebook.
notebooks: $(STAMP)
	$(BIN)/python -m tools.course.build

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/sandbox.py
	$(BIN)/python benchmarks/logs.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
