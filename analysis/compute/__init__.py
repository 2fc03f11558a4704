"""The numbers: the arithmetic of the half-year analysis, computed once from the data.

``indicators`` (the formulas), ``indicator_table`` (every figure with its computed
companions and the reason for every gap), ``checks`` (published derived figures
recomputed) and ``projection`` (full-year projections and their backtests).
"""
