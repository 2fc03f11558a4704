"""The default report printed to an A4 PDF through the same Chromium, its pages rendered.

The PDF is kept as ``reports/erqi_2019H1_zh.pdf`` (beside the browser check's screenshot).
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser

import pytest

from analysis.config import paths
from analysis.report import pdf, reporting

A4 = (595.28, 841.89)  # points


class _Rows(HTMLParser):
    """The cell texts of every table row of an HTML page."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def printed(processed_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    params = reporting.ReportParameters("erqi", "2019H1", "zh", processed_path)
    html = reporting.run_report(params, out_dir=out)
    written = pdf.write_pdf(html)
    keep = paths().reports / "erqi_2019H1_zh.pdf"
    keep.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(written, keep)
    return html, written


@pytest.mark.notebook
def test_the_report_prints_to_a4_with_page_numbers_and_the_embedded_font(printed):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    _, written = printed
    document = pdfium.PdfDocument(str(written))
    n = len(document)
    assert n >= 2
    texts = []
    for i in range(n):
        page = document[i]
        width, height = page.get_size()
        assert abs(width - A4[0]) < 2 and abs(height - A4[1]) < 2
        # the page renders, and is not blank (muted grey text, as the provenance's, counts)
        image = page.render(scale=0.5).to_pil().convert("L")
        assert image.getextrema()[0] < 200, f"page {i + 1} renders blank"
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        assert _squeezed(text).endswith(f"{i + 1}/{n}"), f"page {i + 1} has no page number"
        assert len(_squeezed(text)) > len(f"{i + 1}/{n}"), f"page {i + 1} holds only its number"
        # every Chinese character is drawn with a font embedded in the PDF
        cjk = [
            j
            for j in range(textpage.count_chars())
            if "\u4e00" <= chr(raw.FPDFText_GetUnicode(textpage.raw, j)) <= "\u9fff"
        ]
        for j in cjk:
            font = raw.FPDFTextObj_GetFont(raw.FPDFText_GetTextObject(textpage.raw, j))
            assert raw.FPDFFont_GetIsEmbedded(font) == 1
        texts.append(_squeezed(text))
    assert "二七区" in texts[0]


@pytest.mark.notebook
def test_no_table_row_is_cut_across_pages(printed):
    import pypdfium2 as pdfium

    html, written = printed
    rows = _Rows()
    rows.feed(html.read_text(encoding="utf-8"))
    document = pdfium.PdfDocument(str(written))
    pages = [_squeezed(document[i].get_textpage().get_text_range()) for i in range(len(document))]
    checked = 0
    for cells in rows.rows:
        # the start of each cell (a wrapped cell stays whole at its start)
        starts = [_squeezed(c)[:4] for c in cells if len(_squeezed(c)) >= 2]
        if len(starts) < 2:
            continue
        on = [{i for i, page in enumerate(pages) if s in page} for s in starts]
        assert all(on), f"a cell of {cells} is missing from the PDF"
        assert set.intersection(*on), f"the row {cells} is cut across pages"
        checked += 1
    assert checked >= 20
