"""halfyear: cleaning, indicators and reports for half-year economic situation analysis.

The package is named ``analysis``; its modules follow the pipeline stages:
``reading`` (raw files in), ``cleaning`` and ``periods`` (parsing), ``validation``
(schema, rejects), ``pipeline`` (raw to processed), ``indicators`` (arithmetic),
``plots`` and ``reporting`` (notebook runs and HTML out). Nothing runs at import time.
"""

__version__ = "0.1.0"
