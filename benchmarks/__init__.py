"""Benchmarks of the report batch and of the library (``make bench``); not part of the tests.

``benchmarks.synthetic`` builds a clearly labelled synthetic panel for timing the library
at scale; ``benchmarks.bench`` runs every measurement and prints the table.
"""
