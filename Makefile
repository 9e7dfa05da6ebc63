# Neural networks from scratch: every target works on a fresh clone and sets itself up first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# The Python that makes $(VENV): python3 as found before $(VENV)/bin is put first on the PATH.
PYTHON3 := $(shell command -v python3)
PYTHON3_VERSION := $(shell $(PYTHON3) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
# Written by `make setup`, named after python3's version: another python3 sets $(VENV) up again.
STAMP := $(VENV)/.installed-py$(PYTHON3_VERSION)
LOCK := requirements-lock.txt
# The lectures, in order (book/course.py holds the list that the site, the PDF and the tests use).
NOTEBOOKS := $(shell python3 book/course.py)
NBVAL := -m pytest -p no:cacheprovider --nbval --nbval-current-env \
	--nbval-sanitize-with tests/nbval_sanitize.cfg
# nbval's comparison of each lecture with its executed copy (tests/nbval_executed.py): the
# execution that made the copy is the one nbval would repeat.
NBVAL_EXECUTED := -m pytest -p no:cacheprovider -p tests.nbval_executed \
	--nbval-executed _build/executed --nbval-sanitize-with tests/nbval_sanitize.cfg
# The unit tests of course_utils: every test module but those of the notebooks, the artefacts
# (site, PDF, slides, their MathJax, editions), the browser, the environment, the executor and the
# grading batch (real kernels).
# `make check` runs these; `make floors` runs them on the minimum versions.
PACKAGE_TESTS := $(filter-out $(patsubst %,tests/test_%.py,notebooks site pdf slides mathjax lab \
	environment editions grade execute),\
	$(sort $(wildcard tests/test_*.py)))
FLOORS := _build/floors-venv
LINTED := course_utils tests benchmarks book tools

# The run environment, defined once in course_utils/run_env.py (the tools, tests and benchmarks
# read it there too): one BLAS thread, a fixed hash seed, Jupyter's platform folders, and for what
# make writes or compares (outputs, nbval, the site, the editions, the PDFs) the bundled digits.
RUN_ENV := $(shell python3 course_utils/run_env.py)
$(foreach setting,$(filter-out COURSE_MNIST=%,$(RUN_ENV)),$(eval export $(setting)))
MADE_MNIST := $(patsubst COURSE_MNIST=%,%,$(filter COURSE_MNIST=%,$(RUN_ENV)))
execute test check lab-test portability bench bench-notebooks bench-fast-paths bench-targets: export COURSE_MNIST := $(MADE_MNIST)
_build/%: export COURSE_MNIST := $(MADE_MNIST)
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

# One clean execution of a notebook, top to bottom, as committed outputs are made
# (course_utils/execute.py: a fresh kernel over IPC, streams joined, no timing metadata).
EXECUTE = $(PY) -m course_utils.execute

# What the artefacts are made from: every file of the package (its registry too), the site's and
# PDF's sources, the installed environment (its stamp).
PACKAGE := $(shell find course_utils -name '*.py' -o -name '*.txt' | sort)
BOOK := $(sort $(wildcard book/*.py book/*.md book/_static/*))
CHROMIUM := $(wildcard /usr/bin/chromium)
JOBS ?= 2
# The artefacts, real files: each is remade when anything it is made from is newer.
EXECUTED := $(patsubst notebooks/%,_build/executed/%,$(NOTEBOOKS))
SITE := _build/html/.built
PDFS := _build/pdf/course.pdf
STUDENT_NOTEBOOKS := $(patsubst notebooks/%,_build/student/notebooks/%,$(NOTEBOOKS))
STUDENT := _build/student/.built
STUDENT_SITE := _build/student/html/.built
STUDENT_PDFS := _build/student/pdf/course.pdf
INSTRUCTOR_SLIDES := _build/slides/.built
STUDENT_SLIDES := _build/student/slides/.built
SLIDES := $(INSTRUCTOR_SLIDES) $(STUDENT_SLIDES)
REVEAL := _build/slides/node_modules/reveal.js/package.json
NPM := $(shell command -v npm)
# A recipe that fails leaves no half-made target behind.
.DELETE_ON_ERROR:

.PHONY: help setup system execute test check book pdf slides bench lab lab-test lock upgrade floors \
	portability clean distclean

help:
	@echo "make book     execute the course on the bundled data and render the HTML site (_build/html)"
	@echo "make test     builds the site, student edition and PDFs; ruff, every test, nbval"
	@echo "make check    the quick loop: ruff and the package's unit tests (nothing built)"
	@echo "make pdf      print the lectures to _build/pdf/ (one PDF each and course.pdf)"
	@echo "make slides   one offline reveal.js deck per lecture (_build/slides; the student's in _build/student/slides)"
	@echo "make execute  re-execute every notebook in place (the only way outputs get committed)"
	@echo "make bench    time the notebooks and the trainers (writes benchmarks/results.md)"
	@echo "make bench-notebooks  time only the notebooks, in each thread setting"
	@echo "make bench-fast-paths, bench-targets  the core's fast paths and the trainer's targets, on this CPU and AVX2 (AMD-like)"
	@echo "make lab      JupyterLab on notebooks/"
	@echo "make lab-test every lecture's student edition run in JupyterLab in chromium (make test runs those with widgets)"
	@echo "make setup    create $(VENV) with the course and its test and docs extras"
	@echo "make system   install Debian's chromium and poppler-utils (browser and PDF tests)"
	@echo "make lock     re-resolve $(LOCK) and environment.yml after editing pyproject.toml"
	@echo "make upgrade  lock the newest versions, re-execute the notebooks and run the tests"
	@echo "make floors   unit-test the package on pyproject.toml's minimum versions (fresh venv)"
	@echo "make pythons  set up, unit-test and nbval on every supported Python found (_build/pyX.Y)"
	@echo "make wheels   prove that every pin has a wheel for Linux, macOS and Windows (registry)"
	@echo "make student-repo  set the student archive's repository up in a temporary folder, run it"
	@echo "make portability  nbval under other BLAS kernels and thread counts (4 runs)"
	@echo "make student  the student edition in _build/student (solutions replaced by stubs, run; its site and PDF)"
	@echo "make release  the student and instructor archives of this version in _build/release"
	@echo "make grade SUBMISSIONS=DIR  grade submitted notebooks (grades.csv, feedback pages in _build/grades)"
	@echo "make clean    remove build products (distclean also removes $(VENV))"

setup: $(STAMP)

# Exact versions from the lock (the entries for this Python and platform): students, CI and Binder
# (environment.yml) share them. tools/setup.py refuses a python3 the course does not support before
# making anything, and remakes a $(VENV) that holds another Python, saying so. Re-runs when
# pyproject.toml, the lock, tools/setup.py or python3's version changes.
$(STAMP): pyproject.toml $(LOCK) tools/setup.py
	@test -n "$(PYTHON3)" || { echo "python3 not found: install Python $$(sed -n \
		's/.*Python :: \(3\.[0-9]*\)".*/\1/p' pyproject.toml | paste -sd/) first."; exit 2; }
	$(PYTHON3) tools/setup.py --venv $(VENV) --python $(PYTHON3) --extras test,docs --quiet
	rm -f $(VENV)/.installed*
	touch $(STAMP)

# The lock: pyproject.toml's dependencies with the test and docs extras, resolved by uv for every
# supported Python and platform at once (universal, with markers); pins already in the lock are
# kept (`make upgrade` lifts them).
lock: setup
	$(PY) -m pip install --quiet -c $(LOCK) uv
	$(PY) tools/pins.py lock $(if $(UPGRADE),--upgrade)

# Maintainers: newest versions, then the outputs they give, then every test. Review and commit
# the lock, environment.yml and the notebooks together.
upgrade:
	$(MAKE) lock UPGRADE=1
	$(MAKE) execute
	$(MAKE) test

# pyproject.toml's `>=` floors installed exactly in a fresh venv; the package's unit tests on them.
floors: setup
	rm -rf $(FLOORS)
	mkdir -p _build
	$(PY) tools/pins.py floors > _build/floors.txt
	$(PYTHON3) -m venv $(FLOORS)
	$(FLOORS)/bin/python -m pip install --quiet -c _build/floors.txt -e . pytest
	$(FLOORS)/bin/python tools/pins.py floors --check
	$(FLOORS)/bin/python -m pytest -p no:cacheprovider $(PACKAGE_TESTS)

# Maintainers: on every supported Python found here (pyproject's classifiers; python3, pythonX.Y,
# `py -X.Y` or `pyenv prefix X.Y`), `make setup` into _build/pyX.Y, the package's unit tests with
# the environment tests, and nbval on every lecture; then a line per Python.
.PHONY: pythons wheels
pythons:
	@summary=""; failed=0; \
	for version in $$($(PYTHON3) tools/setup.py --pythons); do \
		python=$$($(PYTHON3) tools/setup.py --find $$version); venv=_build/py$$version; \
		if [ -z "$$python" ]; then summary="$$summary$$version  not found on this machine\n"; \
			continue; fi; \
		echo "== Python $$version: $$python"; unit=-; nbval=-; \
		if $(MAKE) --no-print-directory setup VENV=$$venv PYTHON3=$$python; then setup=ok; \
			if PATH=$(CURDIR)/$$venv/bin:$$PATH $$venv/bin/python -m pytest -q -p no:cacheprovider \
				$(PACKAGE_TESTS) tests/test_environment.py; then unit=passed; else unit=FAILED; fi; \
			if PATH=$(CURDIR)/$$venv/bin:$$PATH COURSE_MNIST=$(MADE_MNIST) $$venv/bin/python \
				$(NBVAL) -q $(NOTEBOOKS); then nbval=passed; else nbval=FAILED; fi; \
		else setup=FAILED; fi; \
		case "$$setup$$unit$$nbval" in okpassedpassed) ;; *) failed=1;; esac; \
		summary="$$summary$$($$python -c 'import platform; print(platform.python_version())')"; \
		summary="$$summary  setup $$setup  unit tests $$unit  nbval $$nbval\n"; \
	done; \
	printf "\nEvery supported Python:\n$$summary"; exit $$failed

# The student archive's repository on its own (tools/student_repo.py): built in a temporary folder,
# set up there by its README's first command (`python tools/setup.py`), every lecture executed with
# its own .venv. Minutes, so not part of `make test`.
.PHONY: student-repo
student-repo: $(STUDENT)
	$(PY) tools/student_repo.py --check

# Maintainers (asks the package registry): every pin of the lock that applies there has a wheel
# for Linux x86-64, macOS arm64 and x86-64 and Windows x86-64, on every supported Python.
wheels: setup
	$(PY) tools/pins.py wheels

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
	$(EXECUTE) --inplace $(NOTEBOOKS)

# Make builds, the tests read: the site, the student edition and (with a browser) the PDFs and
# slides are made first, each lecture executed once for them (two at a time, by
# course_utils/execute.py; the student edition runs only its exercises, tools/student.py); then
# the tests (two at a time, a module per worker) inspect _build/, longest first (tests/conftest.py's
# LONGEST_FIRST), and nbval compares every committed output with the executed copy's. (Running the
# tests that read no artefact beside the builds was tried: on 2 cores it was no faster, 598 s
# against 472–547 s.) Make takes the builds up in TEST_BUILDS' order, so the PDFs, the longest
# jobs (half a minute or more each), start before the smaller ones made from the same executions:
# when the student PDF came last, after the student site in one recipe, one core sat idle for
# half a minute.
TEST_BUILDS = $(SITE) $(if $(NPM),$(INSTRUCTOR_SLIDES)) $(if $(CHROMIUM),$(STUDENT_PDFS) $(PDFS)) \
	$(STUDENT) $(if $(NPM),$(STUDENT_SLIDES))
test: setup system
	$(VENV)/bin/ruff check $(LINTED)
	$(MAKE) -j$(JOBS) --output-sync=target $(TEST_BUILDS)
	$(PY) -m pytest -n $(JOBS) --dist loadfile --no-loadscope-reorder --durations=10 tests
	$(PY) $(NBVAL_EXECUTED) $(NOTEBOOKS)

# Every lecture's student edition in JupyterLab (`make test` runs those with widgets): minutes.
lab-test: setup $(STUDENT_NOTEBOOKS)
	$(PY) -m pytest tests/test_lab.py --lab-all

# The quick loop while changing the package: ruff and its unit tests, nothing built.
check: setup
	$(VENV)/bin/ruff check $(LINTED)
	$(PY) -m pytest -q $(PACKAGE_TESTS)

# nbval as `make test` runs it, then under three other conditions: the BLAS's own choice of kernel,
# an older kernel, and two threads. Not in CI (CI must not change the BLAS core type). One lecture:
# make portability NOTEBOOKS=notebooks/02_rbf_hidden_layer.ipynb
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

# Freshly executed copies of the lectures: what the code gives now. The site and the PDFs render
# these (the committed outputs may be older than the package).
_build/executed/%.ipynb: notebooks/%.ipynb $(PACKAGE) $(STAMP)
	@mkdir -p $(@D)
	$(EXECUTE) --out $(@D) $<

book: $(SITE)
$(SITE): $(EXECUTED) $(BOOK) $(STAMP)
	$(PY) book/build.py --notebooks _build/executed
	touch $@

pdf: system $(PDFS)
$(PDFS): $(EXECUTED) $(BOOK) $(STAMP)
	$(PY) book/pdf.py --notebooks _build/executed

# Slides (book/slides.py): reveal.js at the version of book/slides/package-lock.json, from the npm
# registry; a deck per lecture for each edition, offline. The student's are scanned for solutions.
slides: $(SLIDES)
$(REVEAL): book/slides/package.json book/slides/package-lock.json
	@test -n "$(NPM)" || { echo "make slides needs npm (Node.js) to fetch reveal.js"; exit 2; }
	mkdir -p _build/slides
	cp book/slides/package.json book/slides/package-lock.json _build/slides/
	npm ci --prefix _build/slides --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

$(INSTRUCTOR_SLIDES): $(EXECUTED) $(BOOK) $(REVEAL) $(STAMP)
	$(PY) book/slides.py --notebooks _build/executed
	touch $@

$(STUDENT_SLIDES): $(STUDENT_NOTEBOOKS) $(BOOK) $(REVEAL) tools/leaks.py $(STAMP)
	$(PY) book/slides.py --notebooks _build/student/notebooks --out _build/student \
		--edition "Student edition"
	$(PY) tools/leaks.py --masters $(NOTEBOOKS) -- _build/student/slides
	touch $@

bench: setup
	$(PY) -m pip install --quiet -c $(LOCK) -e ".[bench]" || \
		echo "PyTorch could not be installed: its rows will say 'not installed'"
	$(PY) benchmarks/run.py
	$(PY) benchmarks/fast_paths.py > benchmarks/fast_paths.md
	$(PY) benchmarks/targets.py > benchmarks/targets.md

# The core's fast paths, and the trainer's targets, each timed on this CPU and on the AVX2
# (AMD-like) setting: seconds, and about six minutes.
.PHONY: bench-fast-paths bench-targets
bench-fast-paths: setup
	$(PY) benchmarks/fast_paths.py > benchmarks/fast_paths.md
bench-targets: setup
	$(PY) -m pip install --quiet -c $(LOCK) -e ".[bench]" || \
		echo "PyTorch could not be installed: its rows will say 'not installed'"
	$(PY) benchmarks/targets.py > benchmarks/targets.md

# The notebooks alone, in every thread setting (a few minutes); the trainers' tables are kept.
.PHONY: bench-notebooks
bench-notebooks: setup
	$(PY) benchmarks/run.py --notebooks-only --repeats 1

lab: setup
	$(VENV)/bin/jupyter lab notebooks/

# Editions: notebooks/ is the instructor's. `make student` writes the student edition to
# _build/student (tools/student.py replaces solutions by stubs in each executed lecture and runs
# its exercises, which close it; then the edition's site and PDF are made and scanned for solution
# text by tools/leaks.py);
# `make release` packs both editions of this version (course_utils.__version__) into
# _build/release and fails if the student archive holds solution text.
.PHONY: student release
student: system $(STUDENT)
_build/student/notebooks/%.ipynb: _build/executed/%.ipynb tools/student.py $(STAMP)
	$(PY) tools/student.py $< $@

$(STUDENT_PDFS): $(STUDENT_NOTEBOOKS) $(BOOK) $(STAMP)
	$(PY) book/pdf.py --notebooks _build/student/notebooks --out _build/student \
		--edition "Student edition"

$(STUDENT_SITE): $(STUDENT_NOTEBOOKS) $(BOOK) $(STAMP)
	$(PY) book/build.py --notebooks _build/student/notebooks --out _build/student --student
	touch $@

# The edition as a whole: its site, its PDF (with a browser), the data folder's README, then the
# scan of all of it for solution text.
$(STUDENT): $(STUDENT_SITE) $(if $(CHROMIUM),$(STUDENT_PDFS)) data/README.md tools/leaks.py
	$(if $(CHROMIUM),,@echo "No student PDF: it needs Debian's chromium (apt-get install chromium)")
	mkdir -p _build/student/data
	cp data/README.md _build/student/data/README.md
	$(PY) tools/leaks.py --masters $(NOTEBOOKS) -- _build/student
	touch $@

release: student book pdf
	$(PY) tools/release.py --masters $(NOTEBOOKS)

# Grading (tools/grade): each submission in DIR (DIR/<student>/<lecture>.ipynb, or Canvas's and
# Moodle's flat <student>_…_<lecture>.ipynb) runs in a fresh kernel with time and memory limits;
# writes _build/grades/grades.csv, grades.json and feedback/<student>.html. GRADE_OPTIONS passes
# more, e.g. GRADE_OPTIONS="--cell-timeout 60 --memory-mb 2048".
.PHONY: grade
grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "Usage: make grade SUBMISSIONS=DIR"; exit 2; }
	$(PY) tools/grade "$(SUBMISSIONS)" --out _build/grades $(GRADE_OPTIONS)

clean:
	rm -rf _build .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
