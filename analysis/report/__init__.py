"""The reader's report: sections, words (zh, en), charts, HTML and the run of the notebook.

``sections`` (the report's parts), ``texts`` (wording and number formats), ``plots``
(charts), ``reporting`` (parameters, notebook runs, HTML, index) and ``browser`` (the
report as a reader's browser opens it).
"""
