# The commands README names. Each creates .venv on first use (python3 and make are enough).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HYPOTHESIS_PROFILE ?= dev
DOCS := build/docs

.PHONY: demo test docs package bench clean catalogues

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The demo stores its trajectory in ./coopflow.db, so it brings the `store` extra (SQLAlchemy).
$(VENV)/.demo: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[store]'
	touch $@

# The project's own tools: the `dev` extra (which brings `testing`, `docs`, `store` and `postgres`).
$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.demo

## demo: set up and run the Tilburg demo (English, then Dutch), stored in ./coopflow.db; its
## diagrams in tilburg.mmd and tilburg.nl.mmd, its steering-group reports in build/demo
demo: $(VENV)/.demo
	$(BIN)/coopflow demo --diagram tilburg.mmd --report build/demo
	$(BIN)/coopflow demo --lang nl --diagram tilburg.nl.mmd --report build/demo

# The compiled message catalogues (.mo) of an editable install: the build makes them for a wheel,
# this keeps them current while the .po files are edited.
catalogues: $(VENV)/.dev
	$(BIN)/pybabel compile --domain coopflow --directory src/coopflow/_locale --statistics

## test: set up and run lint, format check, mypy --strict, interrogate and the whole suite
test: $(VENV)/.dev catalogues
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/interrogate src
	HYPOTHESIS_PROFILE=$(HYPOTHESIS_PROFILE) $(BIN)/coverage run -m pytest
	$(BIN)/coverage report

## docs: build the documentation site into build/docs (warnings are errors)
docs: $(VENV)/.dev
	rm -rf $(DOCS)
	$(BIN)/sphinx-build --fail-on-warning --keep-going --quiet --builder html docs $(DOCS)
	@echo "The documentation is in $(DOCS)/index.html"

## package: build sdist and wheel, twine check them, try the wheel alone in a fresh venv
package: $(VENV)/.dev
	bash .ci/package $(BIN)

## bench: the core benchmark against transitions and a dict machine, then the scaling benchmark
bench: $(VENV)/.demo
	$(BIN)/python benchmarks/bench_core.py
	$(BIN)/python benchmarks/bench_scaling.py

clean:
	rm -rf $(VENV) .coverage .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist
