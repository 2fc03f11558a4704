"""Every report of the default grid speaks its reader's language, in both editions.

The reports are built as the notebook builds them (``analysis.Report``: one model per
region and period, its sections in each language) with their charts' words checked
without drawing them. A Chinese report has no English word outside its provenance block
(file names, addresses, hashes and versions are not words); an English report has no
Chinese but a proper name given with its translation, as in "Erqi District (二七区)".
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from analysis import batch
from analysis.config import LANGUAGES
from analysis.data import store
from analysis.data.pipeline import load_figures
from analysis.report import model as report_model
from analysis.report.document import Report

#: Latin text that is not a word for readers: file names with a line, addresses.
_NOT_WORDS = re.compile(
    r"https?://\S+|\b[\w.-]+\.(?:csv|xlsx|xls|json|parquet|txt)(?::\d+)?\b", re.IGNORECASE
)
_ENGLISH = re.compile(r"[A-Za-z]{2,}")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
#: A Chinese name in brackets right after its English: 'Erqi District (二七区)'.
_GIVEN_WITH_TRANSLATION = re.compile(r"[A-Za-z][A-Za-z'.-]* \([\u3400-\u9fff·]+\)")


class _Visible(HTMLParser):
    """The text a reader sees (and image descriptions), outside the provenance footer."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "footer" and "provenance" in (attrs.get("class") or ""):
            self._skip += 1
        elif self._skip:
            if tag == "footer":
                self._skip += 1
        elif tag == "img" and attrs.get("alt"):
            self.texts.append(attrs["alt"])

    def handle_endtag(self, tag):
        if tag == "footer" and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def english_words(text: str) -> list[str]:
    """English words in a text of a Chinese report (file names and addresses are not words).

    Examples
    --------
    >>> english_words("published_figures.csv:257 与 9.1"), english_words("来源 GDP")
    ([], ['GDP'])
    """
    return _ENGLISH.findall(_NOT_WORDS.sub(" ", text))


def chinese_left(text: str) -> list[str]:
    """Chinese in a text of an English report, once names given with a translation are out.

    Examples
    --------
    >>> chinese_left("Local press report of Erqi District's (二七区) meeting")
    []
    >>> chinese_left("H1 share from 全国")
    ['全国']
    """
    return _CJK.findall(_GIVEN_WITH_TRANSLATION.sub(" ", text))


def test_the_checks_see_a_leak_where_there_is_one():
    page = (
        '<section><p>增长8.0%</p><p class="note">no level for 2018 H1</p>'
        '<img alt="图 chart"><footer class="provenance"><p>python 3.11</p></footer></section>'
    )
    seen = _Visible()
    seen.feed(page)
    assert seen.texts == ["增长8.0%", "no level for 2018 H1", "图 chart"]
    assert [w for t in seen.texts for w in english_words(t)] == ["no", "level", "for", "chart"]


@pytest.fixture(scope="session")
def every_report(processed, processed_path) -> dict:
    """The words of every report of the default grid: {(region, period, lang): [texts]}."""
    figures = load_figures(processed_path)
    manifest = json.loads(processed_path.with_name("manifest.json").read_text("utf-8"))
    rejects = store.read_csv(processed_path.with_name("rejects.csv"))
    grid = batch.build_grid(figures, data_path=processed_path)
    pairs = sorted({(p.region, p.period) for p in grid.runs})
    langs = sorted({p.lang for p in grid.runs})
    assert langs == sorted(LANGUAGES) and len(pairs) * len(langs) == len(grid.runs)
    out = {}
    for region, period in pairs:
        model = report_model.build(figures, region=region, period=period,
                                   manifest=manifest, rejects=rejects)  # fmt: skip
        for lang in langs:
            report = Report(model, lang)
            seen = _Visible()
            seen.feed(report.html(charts=False))
            chart_words = [w for s in report.sections() for w in s.words()]
            out[(region, period, lang)] = seen.texts + chart_words
    return out


def test_a_chinese_report_has_no_english_outside_its_provenance(every_report):
    leaks = {
        key: [t for t in texts if english_words(t)]
        for key, texts in every_report.items()
        if key[2] == "zh"
    }
    leaks = {key: found for key, found in leaks.items() if found}
    assert leaks == {}


def test_an_english_report_has_no_chinese_but_names_with_their_translation(every_report):
    leaks = {
        key: [t for t in texts if chinese_left(t)]
        for key, texts in every_report.items()
        if key[2] == "en"
    }
    leaks = {key: found for key, found in leaks.items() if found}
    assert leaks == {}


def test_every_report_of_the_grid_was_read(every_report):
    assert len(every_report) > 50
    assert all(len(texts) > 50 for texts in every_report.values())


def test_rejected_rows_are_told_in_the_readers_language(every_report):
    zh = every_report[("china", "2010H1", "zh")]
    en = every_report[("china", "2010H1", "en")]
    assert "无数值：总量、增速和完成计划比例均为空" in zh
    assert "no figure: value, growth and share of plan are all empty" in en
