"""Data in: raw files read, cleaned, validated and written as the processed table.

``reading`` (files and encodings), ``cleaning`` (units, numbers, qualifiers, names),
``validation`` (the schema and rejected rows), ``vintages`` (releases of one figure) and
``pipeline`` (data/raw to data/processed, with the reconciliation).
"""
