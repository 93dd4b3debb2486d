"""Scripts that regenerate movelab's accuracy tables (``scripts.accuracy``) and its shipped assets
(``scripts.assets``). Run them from the project root as modules, e.g.
``python -m scripts.accuracy.event_accuracy --help``; ``scripts/README.md`` maps each to the tables it fills."""

from pathlib import Path

#: the project root (the folder holding ``scripts/``, ``sample_videos/``, ``tests/``)
ROOT = Path(__file__).resolve().parents[1]
