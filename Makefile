# The two commands a newcomer needs: `make run` (add DEMO=1 for demo accounts) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NODE_DIR := tests/node
# two pytest processes (pytest-xdist): the suite's time on a 2-core machine
PYTEST_ARGS ?= -n 2

.PHONY: run test lint bench clean

$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test: $(VENV)/.runtime pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Node peers for tests: a real RFC 8030 push service, the npm web-push sender, axe-core, ESLint.
$(NODE_DIR)/node_modules/.installed: $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix $(NODE_DIR) --no-audit --no-fund --silent && touch $@; \
	else echo "!!! npm not found: push-service and accessibility tests will be SKIPPED"; fi

run: $(VENV)/.runtime
	$(BIN)/hep run $(if $(DEMO),--demo) $(ARGS)

lint: $(VENV)/.test $(NODE_DIR)/node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	@if [ -x $(NODE_DIR)/node_modules/.bin/eslint ]; then \
		$(NODE_DIR)/node_modules/.bin/eslint -c $(NODE_DIR)/eslint.config.mjs hep/static; \
	else echo "!!! npm not found: the PWA's JavaScript is NOT linted"; fi

test: $(VENV)/.test $(NODE_DIR)/node_modules/.installed lint
	@command -v chromium >/dev/null || echo "!!! chromium not found (apt-get install chromium): browser tests will be SKIPPED"
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.test $(NODE_DIR)/node_modules/.installed
	$(BIN)/python -m bench $(ARGS)

clean:
	rm -rf $(VENV) $(NODE_DIR)/node_modules instance
