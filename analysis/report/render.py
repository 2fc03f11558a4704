"""Markup: the Jinja2 templates of the sections and of the index, with autoescaping.

Python hands the templates text (already in the report's language) and numbers already
written; the templates in ``templates/report/`` hold every tag. Text from data (names,
notes, sources) is escaped by the environment, so a raw file cannot inject markup.

Examples
--------
>>> environment().from_string("<p>{{ text }}</p>").render(text="<b>x</b>")
'<p>&lt;b&gt;x&lt;/b&gt;</p>'
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment():
    """The Jinja2 environment of the report templates (autoescaping, strict names)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def escape(text: object) -> str:
    """Text as the templates write it (``&``, ``<``, ``>`` and quotes escaped).

    Examples
    --------
    >>> escape("<b>'A' & B</b>")
    '&lt;b&gt;&#39;A&#39; &amp; B&lt;/b&gt;'
    """
    return str(environment().from_string("{{ text }}").render(text=text))


def section(sec, *, charts: bool = True) -> str:
    """A section's HTML: its template over its blocks, charts as embedded PNGs.

    ``charts=False`` leaves the images empty (their words stay: alt text, caption, note),
    for checks of the words that need not draw.
    """
    blocks = [_figure(sec, b, charts) if b["type"] == "figure" else b for b in sec.blocks]
    return environment().get_template(sec.template).render(section=sec, blocks=blocks)


def _figure(sec, block: dict, draw: bool) -> dict:
    """A chart block with its PNG, shown at ``1 / plots.DENSITY`` of its pixels (sharp on a
    phone), and its smallest text in the PNG's pixels (``data-min-text``: the browser
    check reads it to find the smallest text a reader sees)."""
    from analysis.report import plots

    chart = sec.charts[block["chart"]]
    raw = sec.png(block["chart"]) if draw else b""
    width, height = int.from_bytes(raw[16:20], "big"), int.from_bytes(raw[20:24], "big")
    smallest = 0.0
    if draw:
        with plots.style() as rc:
            smallest = plots.min_text_size(sec.figures[block["chart"]]) * rc["savefig.dpi"] / 72
    return {
        **block,
        "png": base64.b64encode(raw).decode("ascii"),
        "width": width // plots.DENSITY,
        "height": height // plots.DENSITY,
        "min_text": f"{smallest:.1f}",
        "alt": chart.alt,
        "caption": chart.caption,
        "note": chart.note,
    }


def index(groups: list[dict], *, count: int, font_css: str = "", stamp: str = "") -> str:
    """The index of reports (``index.html``): reports grouped by region and period, each
    with its title and headline (see ``reporting.index_groups``); ``font_css`` is the
    embedded font's ``@font-face`` rule, ``stamp`` what the page's reports hash to.

    Examples
    --------
    >>> html = index([{"region": "erqi", "name_zh": "二七区", "name_en": "Erqi", "periods": [
    ...     {"period": "2019H1", "label_zh": "2019年上半年", "label_en": "2019 H1", "en": None,
    ...      "zh": {"title": "<t>", "html": "x.html", "headline": "GDP"}}]}], count=1)
    >>> "&lt;t&gt;" in html and 'href="x.html"' in html
    True
    """
    from analysis.report.texts import language, words

    zh, en = words("zh"), words("en")
    regions = len(groups)
    template = environment().get_template("report/index.html.j2")
    return template.render(
        groups=groups,
        title={"zh": zh["index_title"], "en": en["index_title"]},
        counts={
            "zh": language("zh").index_count(count, regions),
            "en": language("en").index_count(count, regions),
        },
        missing={"zh": zh["index_missing"], "en": en["index_missing"]},
        font_css=font_css,
        stamp=stamp,
    )
