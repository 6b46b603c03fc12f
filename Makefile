# The two set-up commands of the README:
#   make run   install, analyse the bundled seeds/ (tables and report.html) and execute the notebooks into out/
#   make test  install with the test extras (and Debian's chromium), run the test suite
#   make lab   JupyterLab on the notebooks, from the project's environment
# All install the exact versions of requirements.lock (pip constraints); `make lock` refreshes it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements.lock
UV     := uv==0.13.9
# `make lock LOCK_FLAGS=--upgrade` moves every pin to the newest version pyproject.toml allows
LOCK_FLAGS ?=

.PHONY: run test install install-test browser clean lab lock

# Jupyter settings of this project (jupyter-config/): HTML exports use the static renderings of charts
# and explorers, so they read offline. Copied by hand: an editable install leaves data files out.
JUPYTER_CONFIG := $(VENV)/etc/jupyter/jupyter_nbconvert_config.json $(VENV)/etc/jupyter/jupyter_server_config.d/news-toolkit.json
$(VENV)/etc/jupyter/%: jupyter-config/% | $(BIN)/python
	@mkdir -p $(@D) && cp $< $@

# The notebooks are executed with their widget state stored, so JupyterLab can redraw the widgets from it.
run: install $(JUPYTER_CONFIG)
	$(BIN)/python -m toolkit analyze seeds --out out/seeds
	@if ls notebooks/*.ipynb >/dev/null 2>&1; then \
	  $(BIN)/jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=900 \
	    --ExecutePreprocessor.store_widget_state=True --output-dir out/notebooks notebooks/*.ipynb; fi
	@echo "Tables and report.html in out/seeds; executed notebooks in out/notebooks. Explore them: make lab"

# JupyterLab on the notebooks, from the project's environment (--allow-root when run as root).
lab: install $(JUPYTER_CONFIG)
	$(BIN)/jupyter lab notebooks/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)

test: install-test browser $(JUPYTER_CONFIG)
	$(BIN)/python -m pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet -c $(LOCK) -e .
	touch $@

install-test: $(VENV)/.installed-test
$(VENV)/.installed-test: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet -c $(LOCK) -e '.[test]'
	touch $@ $(VENV)/.installed

# Resolve pyproject.toml's dependencies (with the test extras) into exact pins for every platform.
# The pins already in the lock are kept where they still fit, so adding a dependency changes only
# what it must; then run `make test` and commit requirements.lock with the change.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet '$(UV)'
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 --quiet \
	  --custom-compile-command 'make lock' $(LOCK_FLAGS) -o $(LOCK)

# Browser tests drive Debian's chromium (playwright's own browser download is not reachable).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }

clean:
	rm -rf $(VENV) out
