"""Accuracy scripts: each renders or reads clips with a known truth, runs the real pipeline and prints the
tables of one docs page (``scripts/README.md`` says which)."""
