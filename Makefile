# The two set-up commands of the README:
#   make run   install, analyse the bundled seeds/ (tables and report.html) and execute the notebooks into out/
#   make test  install with the test extras (and Debian's chromium), run the test suite
#   make lab   JupyterLab on the notebooks, from the project's environment
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test install install-test browser clean lab

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
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

install-test: $(VENV)/.installed-test
$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# Browser tests drive Debian's chromium (playwright's own browser download is not reachable).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }

clean:
	rm -rf $(VENV) out
