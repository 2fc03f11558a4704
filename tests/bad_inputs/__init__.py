"""A corpus of bad inputs and faults: each case a test (see cases.csv and build.py)."""
