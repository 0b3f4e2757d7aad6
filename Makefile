# Two commands: `make run` (the main job) and `make test`. Both create or refresh .venv first;
# a second call with pyproject.toml unchanged reinstalls nothing (stamp keyed on its hash).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-16)
CORES ?= 2
CONFIG ?= workflows/config/default.yaml
# Offline machines: use the data mirror beside the clone when there is one (README, "Offline use").
SCIML_DATA_MIRROR ?= $(wildcard $(abspath ../shared/data))
export SCIML_DATA_MIRROR

.PHONY: venv run test bench lint docs docs-snapshot clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev,hpc,bench,docs]'
	$(BIN)/python scripts/warm_jit.py
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/snakemake --cores $(CORES) --configfile $(CONFIG) --workflow-profile workflows/profiles/local
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/snakemake --cores $(CORES) --configfile $(CONFIG) \
		--workflow-profile workflows/profiles/local --report results/report.html

# One pytest-xdist worker per core; the tests sharing the session's workflow runs stay on one worker
# (tests/conftest.py groups them), the others spread over the rest.
test: $(STAMP)
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/python -m pytest -q -n $(CORES) --dist loadgroup tests

bench: $(STAMP)
	mkdir -p results/bench
	for script in benchmarks/*.py; do PATH=$(abspath $(BIN)):$$PATH $(BIN)/python $$script || exit 1; done

# The documentation site (mkdocs.yml) -> site/; warnings fail the build.
docs: $(STAMP)
	PATH=$(abspath $(BIN)):$$PATH NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true \
		$(BIN)/mkdocs build --strict

# Copy the last run's results/<domain>/metrics.json to docs/results/<domain>.json (the Results page's snapshots).
docs-snapshot: $(STAMP)
	$(BIN)/python scripts/docs_pages.py snapshot

lint: $(STAMP)
	$(BIN)/ruff check sciml tests benchmarks examples scripts
	$(BIN)/snakemake --lint --configfile workflows/config/smoke.yaml

clean:
	rm -rf results .snakemake site
