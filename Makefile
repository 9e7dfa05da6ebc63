# Neural networks from scratch: every target works on a fresh clone and sets itself up first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOCK := requirements-lock.txt
# The lectures, in order (book/course.py holds the list that the site, the PDF and the tests use).
NOTEBOOKS := $(shell python3 book/course.py)
NBVAL := -m pytest -p no:cacheprovider --nbval --nbval-current-env \
	--nbval-sanitize-with tests/nbval_sanitize.cfg
# The unit tests of course_utils: every test module but those of the notebooks, site, PDF, browser,
# environment and editions. `make floors` runs these on the minimum versions.
PACKAGE_TESTS := $(filter-out $(patsubst %,tests/test_%.py,notebooks site pdf lab environment editions),\
	$(sort $(wildcard tests/test_*.py)))
FLOORS := _build/floors-venv
LINTED := course_utils tests benchmarks book tools

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

.PHONY: help setup system execute test book pdf bench lab lock upgrade floors portability clean \
	distclean

help:
	@echo "make book     execute the course on the bundled data and render the HTML site (_build/html)"
	@echo "make test     ruff, the unit tests, then every notebook re-executed and compared (nbval)"
	@echo "make pdf      print the lectures to _build/pdf/ (one PDF each and course.pdf)"
	@echo "make execute  re-execute every notebook in place (the only way outputs get committed)"
	@echo "make bench    time the notebooks and the trainers (writes benchmarks/results.md)"
	@echo "make lab      JupyterLab on notebooks/"
	@echo "make setup    create $(VENV) with the course and its test and docs extras"
	@echo "make system   install Debian's chromium and poppler-utils (browser and PDF tests)"
	@echo "make lock     re-resolve $(LOCK) and environment.yml after editing pyproject.toml"
	@echo "make upgrade  lock the newest versions, re-execute the notebooks and run the tests"
	@echo "make floors   unit-test the package on pyproject.toml's minimum versions (fresh venv)"
	@echo "make portability  nbval under other BLAS kernels and thread counts (4 runs)"
	@echo "make student  the student edition in _build/student (solutions replaced by stubs, executed; its site and PDF)"
	@echo "make release  the student and instructor archives of this version in _build/release"
	@echo "make clean    remove build products (distclean also removes $(VENV))"

setup: $(STAMP)

# Exact versions from the lock: students, CI and Binder (environment.yml) share them. Re-runs only
# when pyproject.toml or the lock changes.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet -c $(LOCK) pip
	$(PY) -m pip install --quiet -c $(LOCK) -e ".[test,docs]"
	touch $(STAMP)

# The lock: pyproject.toml's dependencies with the test and docs extras, resolved by uv for
# Python 3.11 on x86-64 Linux; pins already in the lock are kept (`make upgrade` lifts them).
lock:
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet uv
	$(PY) tools/pins.py lock $(if $(UPGRADE),--upgrade)

# Maintainers: newest versions, then the outputs they give, then every test. Review and commit
# the lock, environment.yml and the notebooks together.
upgrade:
	$(MAKE) lock UPGRADE=1
	$(MAKE) execute
	$(MAKE) test

# pyproject.toml's `>=` floors installed exactly in a fresh venv; the package's unit tests on them.
floors:
	rm -rf $(FLOORS)
	mkdir -p _build
	python3 tools/pins.py floors > _build/floors.txt
	python3 -m venv $(FLOORS)
	$(FLOORS)/bin/python -m pip install --quiet -c _build/floors.txt -e . pytest
	$(FLOORS)/bin/python tools/pins.py floors --check
	$(FLOORS)/bin/python -m pytest -p no:cacheprovider $(PACKAGE_TESTS)

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
	$(VENV)/bin/ruff check $(LINTED)
	$(PY) -m pytest tests
	$(PY) $(NBVAL) $(NOTEBOOKS)

# nbval as `make test` runs it, then under three other conditions: the BLAS's own choice of kernel,
# an older kernel, and two threads. Not in CI (CI must not change the BLAS core type). One lecture:
# make portability NOTEBOOKS=notebooks/02_rbf_hidden_layer.ipynb
portability: export COURSE_MNIST := bundled
portability: setup
	@failed=0; \
	for condition in "env" "env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE" \
		"env OPENBLAS_CORETYPE=Sandybridge" "env OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2"; do \
		echo "== nbval with: $$condition"; \
		$$condition $(PY) -c "import numpy, threadpoolctl; print('BLAS:', *{(i['architecture'], \
			i['num_threads']) for i in threadpoolctl.threadpool_info()})"; \
		if $$condition $(PY) $(NBVAL) -q $(NOTEBOOKS); then result=passed; \
		else result=FAILED; failed=1; fi; \
		summary="$$summary$$result  $$condition\n"; \
	done; \
	printf "\nnbval under each condition:\n$$summary"; exit $$failed

book: setup
	$(PY) book/build.py

pdf: setup system
	$(PY) book/pdf.py

bench: setup
	$(PY) -m pip install --quiet -c $(LOCK) -e ".[bench]" || \
		echo "PyTorch could not be installed: its rows will say 'not installed'"
	$(PY) benchmarks/run.py

lab: setup
	$(VENV)/bin/jupyter lab notebooks/

# Editions (tools/editions.py): notebooks/ is the instructor's. `make student` writes the student
# edition to _build/student (solutions replaced by stubs, executed, with its site and PDF);
# `make release` packs both editions of this version (course_utils.__version__) into
# _build/release and fails if the student archive holds solution text.
.PHONY: student release
student: setup system
	$(PY) tools/editions.py student

release: student book pdf
	$(PY) tools/editions.py release

clean:
	rm -rf _build .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
