# tf2-migrate developer entry points. Each target sets up .venv on first use (and again
# whenever pyproject.toml or the extension's sources change), then does its job.
#
#   make lab     JupyterLab with the extension, on notebooks/
#   make test    the whole pytest suite, browser tests included
#                (TESTS=tests/server PYTEST_ARGS='-k version' to narrow it)
#   make bench   the benchmarks (benchmarks/__main__.py)
#   make clean   remove the venv and every build artefact

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.tf2-migrate-installed
WORK := $(CURDIR)/.work
CHROMIUM := /usr/bin/chromium
TESTS ?= tests
PYTEST_ARGS ?=
LAB_ARGS ?=
BENCH_ARGS ?=

# Root needs --allow-root for JupyterLab and no sudo for apt-get.
IS_ROOT := $(filter 0,$(shell id -u))
ALLOW_ROOT := $(if $(IS_ROOT),--allow-root,)
SUDO := $(if $(IS_ROOT),,sudo)

# What the editable install builds from; a change to any of them re-runs the install
# (folders too: their mtime changes when a file is added or removed).
INSTALL_INPUTS := pyproject.toml \
	$(wildcard extension/package.json extension/yarn.lock extension/tsconfig.json \
	           extension/.yarnrc.yml extension/install.json) \
	$(shell find extension/src extension/style extension/schema jupyter-config 2>/dev/null)

# Jupyter, IPython, Keras and yarn state stays in the git-ignored .work/, never under $HOME.
# JupyterLab still finds the extension and the server extension: those are installed under
# .venv/share/jupyter and .venv/etc/jupyter, which Jupyter searches whatever these are set to.
export JUPYTER_CONFIG_DIR := $(WORK)/jupyter/config
export JUPYTER_DATA_DIR := $(WORK)/jupyter/data
export JUPYTER_RUNTIME_DIR := $(WORK)/jupyter/runtime
export IPYTHONDIR := $(WORK)/ipython
export MPLCONFIGDIR := $(WORK)/matplotlib
export KERAS_HOME := $(WORK)/keras
export YARN_GLOBAL_FOLDER := $(WORK)/yarn
export YARN_CACHE_FOLDER := $(WORK)/yarn/cache

.PHONY: help lab test bench clean

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

# kernel_helpers/labextension is removed first: hatch-jupyter-builder ships a bundle that is
# already there instead of rebuilding it (the stale-bundle trap after a TypeScript edit).
# Downloads retry and resume: the tensorflow wheel alone is 570 MB.
$(STAMP): $(INSTALL_INPUTS)
	@command -v node >/dev/null || { echo "Node.js (>= 20.19) is needed to build the JupyterLab extension." >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --retries 10 --upgrade pip
	rm -rf kernel_helpers/labextension
	$(BIN)/python -m pip install --retries 10 --resume-retries 30 -e ".[tf,lab,test]"
	touch $@

$(CHROMIUM):
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

lab: $(STAMP)
	mkdir -p notebooks
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)/notebooks" $(ALLOW_ROOT) $(LAB_ARGS)

# Browser state (chromium's XDG dirs) goes to .work/ as well, for this step only.
test: $(STAMP) | $(CHROMIUM)
	@mkdir -p $(WORK)/xdg/config $(WORK)/xdg/cache
	@set +e; \
	XDG_CONFIG_HOME=$(WORK)/xdg/config XDG_CACHE_HOME=$(WORK)/xdg/cache \
		$(BIN)/python -m pytest $(TESTS) $(PYTEST_ARGS) 2>&1 | tee $(WORK)/pytest.log; \
	status=$${PIPESTATUS[0]}; \
	summary=$$(grep -E '(passed|failed|errors?|skipped|deselected|no tests ran)( |,|$$)' $(WORK)/pytest.log | tail -n 1); \
	echo "pytest summary: $${summary:-none (see $(WORK)/pytest.log)}"; \
	exit $$status

bench: $(STAMP)
	@if [ -f benchmarks/__main__.py ]; then \
		$(BIN)/python -m benchmarks $(BENCH_ARGS); \
	else \
		echo "benchmarks/__main__.py does not exist yet: nothing to run."; \
	fi

# Needs no venv, so it does not depend on $(STAMP). Keeps the yarn download cache (.work/yarn).
clean:
	rm -rf $(VENV) kernel_helpers/labextension extension/lib extension/tsconfig.tsbuildinfo \
		extension/node_modules extension/.yarn test-artifacts .pytest_cache \
		$(WORK)/jupyter $(WORK)/ipython $(WORK)/matplotlib $(WORK)/keras $(WORK)/xdg $(WORK)/pytest.log
