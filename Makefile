# Two commands do all the set-up on a fresh machine:
#   make demo   verify the example programs (creates .venv on first use)
#   make test   run the whole test suite (what CI runs)
# and `make lab` opens the lesson notebooks in JupyterLab.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo lab test lint bench golden soundness clean

# the install builds the JupyterLab extension (js/, with node) and installs it enabled
$(STAMP): pyproject.toml $(wildcard js/package.json js/yarn.lock js/src/*.ts js/style/*)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@echo "== a program that verifies"
	$(BIN)/minidafny verify lessons/examples/sum.dfy
	@echo "== a program whose loop invariant is too weak (exit code 1 is expected here)"
	-$(BIN)/minidafny verify --explain lessons/examples/sum_weak_invariant.dfy

lab: $(STAMP)
	$(BIN)/jupyter lab lessons/

test: $(STAMP)
	$(BIN)/ruff check kernel_ext autograder tests bench
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check kernel_ext autograder tests bench
	$(BIN)/ruff format --check kernel_ext autograder tests bench

bench: $(STAMP)
	$(BIN)/python bench/bench_verifier.py

# mutate every verified golden program, verify the mutants, run the verified ones
# (add ARGS=--dafny to compare verdicts with Debian's dafny)
soundness: $(STAMP)
	$(BIN)/python -m tests.soundness $(ARGS)

golden: $(STAMP)
	$(BIN)/python -m pytest tests/test_golden.py --update-golden
	git diff --stat -- tests/golden

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis js/node_modules js/lib js/lib-test kernel_ext/labextension
