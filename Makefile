# Two entry points do all the set-up on a fresh machine:
#   make demo        creates .venv, installs movelab, runs the main job on a shipped sample video
#   make serve       creates .venv, installs movelab with the clinic app, runs it on http://127.0.0.1:8000
#   make test        creates .venv, installs movelab with its test tools, runs the whole test suite
# and, for everyday work:
#   make test-fast   the tests that need no pose model, no browser and no download (under 2 minutes)
#   make lint        ruff check + ruff format --check
#   make notebooks   executes notebooks/*.ipynb and writes the rendered copies (with plots) to docs/notebooks/
# Downloads (the pose model's source wheel, the real demo video) are cached under $(MOVELAB_CACHE_DIR).

PYTHON ?= python3
VENV ?= .venv
MOVELAB_CACHE_DIR ?= $(HOME)/.cache/movelab
export MOVELAB_CACHE_DIR
BIN := $(VENV)/bin
DEMO_VIDEO ?= sample_videos/squat_side.mp4
DEMO_OUT ?= results/squat_side
#: what make test-fast leaves out (markers declared in pyproject.toml)
FAST_MARKERS := not slow and not browser and not network
#: test processes (pytest-xdist): CI has 2 cores; TEST_WORKERS=0 runs every test in this one process
TEST_WORKERS ?= 2
#: --dist loadscope: a module's tests stay in one worker, so its module fixtures (rendered clips, pose-model
#: runs) are made once, not once per worker
XDIST = -n $(TEST_WORKERS) --dist loadscope

.PHONY: demo test test-fast lint notebooks install bench clean serve

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
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

test-fast: install
	$(BIN)/python -m pytest -m "$(FAST_MARKERS)" $(XDIST) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

notebooks: install
	$(BIN)/python -m scripts.assets.render_notebooks

BENCH_DIR ?= $(MOVELAB_CACHE_DIR)/bench

bench: install
	mkdir -p $(BENCH_DIR)
	test -f $(BENCH_DIR)/squat_1080x1920_60.mp4 || $(BIN)/movelab synth squat --out $(BENCH_DIR)/squat_1080x1920_60.mp4 \
	    --view side_right --width-px 1080 --height-px 1920 --fps 60 --clip-duration-s 3 --distance-m 3.5
	for m in 1 2 10; do test -f $(BENCH_DIR)/squat_$${m}min.mp4 || $(BIN)/python benchmarks/bench_speed.py long \
	    sample_videos/squat_side.mp4 --minutes $$m --out $(BENCH_DIR)/squat_$${m}min.mp4; done
	$(BIN)/python benchmarks/bench_speed.py videos sample_videos/squat_side.mp4 $(BENCH_DIR)/squat_1080x1920_60.mp4
	$(BIN)/python benchmarks/bench_speed.py parallel $(BENCH_DIR)/squat_2min.mp4 --jobs 2
	$(BIN)/python benchmarks/bench_speed.py cached --minutes 10 --fps 60
	$(BIN)/python benchmarks/bench_speed.py memory $(BENCH_DIR)/squat_1min.mp4 $(BENCH_DIR)/squat_2min.mp4 \
	    $(BENCH_DIR)/squat_10min.mp4

clean:
	rm -rf $(VENV) results .pytest_cache
