# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test test-faults prereqs bench clean

$(BIN)/newsmon: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/newsmon

setup: $(BIN)/newsmon

demo: setup
	$(BIN)/newsmon demo

# Java 17 and Maven for the Elasticsearch tests: installed from apt as root, else named in one line
prereqs:
	@sh .ci/prereqs.sh

test: setup prereqs
	$(BIN)/python -m pytest -q -rs -m "not faults"

# the second step: crawls killed by signals, a full disk, several machines on one Elasticsearch
test-faults: setup prereqs
	$(BIN)/python -m pytest -q -rs -m faults

clean:
	rm -rf $(VENV) build *.egg-info
