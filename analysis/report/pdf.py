"""A report as an A4 PDF, printed by the same Chromium that checks it.

``write_pdf`` opens the report's HTML with the network blocked (as a reader's browser
would), switches to the print stylesheet and has Chromium print it: A4, backgrounds kept,
the embedded Chinese font embedded in the PDF, page numbers in the footer, table rows and
charts never cut across a page (the stylesheet's ``break-inside: avoid``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from analysis.errors import HalfyearError
from analysis.report.browser import LAUNCH_ARGS, chromium_path

#: Margins of the printed page (the footer sits in the bottom margin).
MARGINS = {"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"}

_FOOTER = (
    '<div style="width:100%;text-align:center;font-size:8pt;color:#5d6d7e;'
    'font-family:sans-serif;"><span class="pageNumber"></span> / '
    '<span class="totalPages"></span></div>'
)


class PdfError(HalfyearError, RuntimeError):
    """The PDF cannot be printed here (Playwright, which drives Chromium, is missing)."""


def require_playwright() -> None:
    """Raise :class:`PdfError` (one line: how to install it) when Playwright is missing.

    Cheap (nothing is imported), so that ``halfyear report --pdf`` checks it before any
    kernel starts.
    """
    if importlib.util.find_spec("playwright") is None:
        raise PdfError(
            "--pdf prints through Chromium driven by Playwright, which is not installed in "
            f"{sys.prefix}: `make pdf-deps` installs it (requirements/pdf.lock, and Chromium)"
        )


def write_pdf(html_path: Path, pdf_path: Path | None = None) -> Path:
    """Print a report to an A4 PDF beside it (or at ``pdf_path``); returns the path.

    Raises
    ------
    analysis.report.browser.BrowserMissingError
        When Chromium is not installed (with the command that installs it).
    PdfError
        When Playwright is not installed (``make pdf-deps`` installs it).
    """
    require_playwright()
    from playwright.sync_api import sync_playwright

    html_path = Path(html_path)
    pdf_path = Path(pdf_path) if pdf_path else html_path.with_suffix(".pdf")
    executable = chromium_path()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(("file:", "data:", "about:"))
                    else route.abort()
                ),
            )
            page.goto(html_path.resolve().as_uri(), wait_until="load")
            page.evaluate("document.fonts.ready")
            page.emulate_media(media="print")
            pdf_path.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(
                path=str(pdf_path),
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=_FOOTER,
                margin=MARGINS,
            )
        finally:
            browser.close()
    return pdf_path
