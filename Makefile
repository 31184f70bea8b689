# The front door. `make run` serves the app with demo data on SQLite; `make test` runs every test.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test bench lint format demo-data migrate clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv

$(STAMP): requirements.lock $(BIN)/python
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference_data

demo-data: migrate
	$(BIN)/python manage.py create_demo_users
	$(BIN)/python manage.py load_demo_data

# One process brings the database up to date (each step skipped when nothing changed, see
# soteria/dataloads.py) and then serves, so a restart pays Django's start-up twice, not five times.
run: install
	$(BIN)/python manage.py run_demo 127.0.0.1:$(PORT)

# One test process per core (pytest-xdist); TEST_PROCESSES=0 runs them in this process.
TEST_PROCESSES ?= auto
test: install
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadgroup $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/run.py $(BENCH)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: $(BIN)/python
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --quiet -o requirements.lock

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
