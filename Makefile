# The two set-up commands of the README:
#   make run   install, analyse the bundled seeds/ (tables and report.html) and execute the notebooks into out/
#   make test  install with the test extras (and Debian's chromium), run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test install install-test browser clean

run: install
	$(BIN)/python -m toolkit analyze seeds --out out/seeds
	@if ls notebooks/*.ipynb >/dev/null 2>&1; then \
	  $(BIN)/jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=900 \
	    --output-dir out/notebooks notebooks/*.ipynb; fi
	@echo "Tables and report.html in out/seeds; executed notebooks in out/notebooks. Explore: $(BIN)/jupyter lab notebooks/"

test: install-test browser
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
