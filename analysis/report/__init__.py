"""The reader's report: one model, its sections in each language, the markup and the run.

``model`` (every number, verdict and reason of one report, computed once from the data),
``sections`` (each section: its numbers as a DataFrame, its charts, its HTML), ``document``
(a report in one language: ``Report``), ``texts`` (every word, by language), ``numbers``
(number formats), ``render`` and ``templates/report/`` (the markup), ``plots`` (charts),
``fonts`` (the CJK font), ``reporting`` (parameters, the one run of a report notebook, the
reader's HTML, the index), ``kernels`` (fresh and warm kernels) and ``browser`` (the report
as a reader's browser opens it).
"""
