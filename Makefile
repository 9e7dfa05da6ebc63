# Neural networks from scratch: every target works on a fresh clone and sets itself up first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))

# One BLAS thread: on 2 cores the course's small matrix products are faster and steadier with one
# (measured), and results do not depend on the thread count.
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export PYTHONHASHSEED := 0
export JUPYTER_PLATFORM_DIRS := 1
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

# Committed outputs, nbval and the site are made on the bundled digits, the same on every machine.
execute test book bench: export COURSE_MNIST := bundled

.PHONY: help setup system execute test book pdf bench lab clean distclean

help:
	@echo "make book     execute the course on the bundled data and render the HTML site (_build/html)"
	@echo "make test     unit tests, then re-execute every notebook with nbval and compare outputs"
	@echo "make pdf      print the lectures to _build/pdf/ (one PDF each and course.pdf)"
	@echo "make execute  re-execute every notebook in place (the only way outputs get committed)"
	@echo "make bench    time the notebooks and the trainers (writes benchmarks/results.md)"
	@echo "make lab      JupyterLab on notebooks/"
	@echo "make setup    create $(VENV) with the course and its test and docs extras"
	@echo "make system   install Debian's chromium and poppler-utils (browser and PDF tests)"
	@echo "make clean    remove build products (distclean also removes $(VENV))"

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,docs]"
	touch $(STAMP)

# Debian packages for the browser and PDF tests: installed when we may (root or password-less
# sudo); otherwise a line says what to install and those tests skip saying the same.
system:
	@if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null; then \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo=sudo; \
		else echo "Install Debian's chromium and poppler-utils for the browser and PDF tests:" \
			"sudo apt-get install chromium poppler-utils"; exit 0; fi; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			$$sudo apt-get install -y -qq chromium poppler-utils >/dev/null; \
	fi

execute: setup
	$(PY) -m jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=600 --ExecutePreprocessor.kernel_name=python3 \
		--ExecutePreprocessor.record_timing=False \
		--NotebookExporter.preprocessors="['nbconvert.preprocessors.CoalesceStreamsPreprocessor']" \
		$(NOTEBOOKS)

test: setup system
	$(PY) -m pytest tests
	$(PY) -m pytest -p no:cacheprovider --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg $(NOTEBOOKS)

book: setup
	$(PY) book/build.py

pdf: setup system
	$(PY) book/pdf.py

bench: setup
	$(PY) -m pip install --quiet -e ".[bench]" || \
		echo "PyTorch could not be installed: its rows will say 'not installed'"
	$(PY) benchmarks/run.py

lab: setup
	$(VENV)/bin/jupyter lab notebooks/

clean:
	rm -rf _build .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
