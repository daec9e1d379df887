# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test prereqs bench clean

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
	$(BIN)/python -m pytest -q -rs

clean:
	rm -rf $(VENV) build *.egg-info
