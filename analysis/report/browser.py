"""Open a report the way a reader does: headless Chromium, no network, a phone-sized screen.

``check_report`` loads an HTML file in Debian's Chromium driven by Playwright, blocks every
request that leaves the file, and reports what a reader would meet: requests that failed or
were blocked, console errors, images that did not decode, whether Chinese text is drawn
with a real CJK glyph from the embedded font rather than a fallback box, whether the page
fits the window (no sideways scrolling; a wide table scrolls inside its box, with a cue)
and the smallest chart text shown, in CSS px. It can save a screenshot.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import HalfyearError

#: Where Debian's chromium package puts the browser; override with $CHROMIUM.
DEFAULT_CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_GLYPH_CHECK = """
async ([family, sample]) => {
  await document.fonts.ready;
  const faces = [...document.fonts].filter(f => f.family.replace(/["']/g, '') === family);
  await Promise.all(faces.map(f => f.load().catch(() => null)));
  const draw = (ch) => {
    const c = document.createElement('canvas'); c.width = 64; c.height = 64;
    const g = c.getContext('2d'); g.font = `48px "${family}"`; g.fillText(ch, 4, 52);
    return Array.from(g.getImageData(0, 0, 64, 64).data).join(',');
  };
  const tofu = draw('\\uE000');
  const glyphs = [...sample].map(ch => draw(ch) !== tofu);
  return {status: faces.map(f => f.status), glyphs};
}
"""

_IMAGES = """
async () => Promise.all([...document.images].map(async (img) => {
  try { await img.decode(); return img.naturalWidth > 0 && img.naturalHeight > 0; }
  catch (e) { return false; }
}))
"""


_LAYOUT = """
() => {
  const width = window.innerWidth;
  const page = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  // the smallest chart text a reader sees, in CSS px: the chart's smallest text in the
  // PNG's pixels (data-min-text) scaled as the page shows the PNG
  const charts = [...document.images].filter(i => i.dataset.minText).map(i =>
    parseFloat(i.dataset.minText) * i.getBoundingClientRect().width / i.naturalWidth);
  // what reaches past the window (names the culprits when the page is too wide)
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > width + 1 && !e.closest('.table-wrap');
  }).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') +
    ': ' + (e.textContent || '').trim().slice(0, 60));
  // a table wider than its box must scroll inside it, with the cue (the edge shadows)
  const tables = [...document.querySelectorAll('.table-wrap')].map(w => {
    const style = getComputedStyle(w);
    return {
      scrolls: w.scrollWidth > w.clientWidth + 1,
      cue: style.overflowX === 'auto' && style.backgroundImage.includes('gradient'),
      inside: w.getBoundingClientRect().right <= width + 1,
    };
  });
  return {width, page, charts, wide, tables};
}
"""


class BrowserMissingError(HalfyearError, RuntimeError):
    """Chromium is not installed where the check looks for it."""


def chromium_path() -> str:
    """The Chromium executable: ``$CHROMIUM`` or Debian's ``/usr/bin/chromium``.

    Raises
    ------
    BrowserMissingError
        With the command that installs it.
    """
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or DEFAULT_CHROMIUM
    if not Path(path).exists():
        raise BrowserMissingError(
            f"Chromium not found at {path}: `make browser` installs Debian's chromium "
            "(apt-get install chromium), or set CHROMIUM to a Chromium executable"
        )
    return path


#: The smallest chart text a reader may be shown, in CSS px (at 412 px too).
MIN_CHART_TEXT_PX = 11


@dataclass
class PageCheck:
    """What a reader's browser met when opening a report."""

    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    images: list[bool] = field(default_factory=list)
    font_status: list[str] = field(default_factory=list)
    cjk_glyphs: list[bool] = field(default_factory=list)
    title: str = ""
    screenshot: Path | None = None
    window_width: int = 0
    page_width: int = 0
    too_wide: list[str] = field(default_factory=list)
    chart_text_px: list[float] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        """No page wider than the window; every table that does not fit its box scrolls
        inside it with the cue; chart text at least :data:`MIN_CHART_TEXT_PX`."""
        return (
            self.page_width <= self.window_width
            and all(t["inside"] and (t["cue"] or not t["scrolls"]) for t in self.tables)
            and all(px >= MIN_CHART_TEXT_PX - 0.05 for px in self.chart_text_px)
        )

    @property
    def ok(self) -> bool:
        return (
            self.fits
            and not self.blocked
            and not self.failed
            and not self.console_errors
            and all(self.images)
            and self.font_status == ["loaded"]
            and bool(self.cjk_glyphs)
            and all(self.cjk_glyphs)
        )


def check_report(
    html_path: Path,
    *,
    screenshot: Path | None = None,
    sample: str = "二七区经济运行",
    width: int = 412,
    height: int = 915,
) -> PageCheck:
    """Open ``html_path`` in headless Chromium with the network blocked and check it.

    Parameters
    ----------
    html_path : Path
        The report.
    screenshot : Path, optional
        Where to save a full-page screenshot (PNG).
    sample : str
        Chinese characters that must be drawn with a real glyph of the embedded font.
    width, height : int
        Viewport in CSS pixels (default: a phone).
    """
    from playwright.sync_api import sync_playwright

    from analysis.report.reporting import FONT_FAMILY

    result = PageCheck()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), headless=True, args=LAUNCH_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": width, "height": height})

            def route(route):
                url = route.request.url
                if url.startswith(("file:", "data:", "about:")):
                    route.continue_()
                else:
                    result.blocked.append(url)
                    route.abort()

            page.route("**/*", route)
            page.on("requestfailed", lambda r: result.failed.append(r.url))
            page.on(
                "console",
                lambda m: result.console_errors.append(m.text) if m.type == "error" else None,
            )
            page.on("pageerror", lambda e: result.console_errors.append(str(e)))
            page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
            result.title = page.title()
            result.images = page.evaluate(_IMAGES)
            glyphs = page.evaluate(_GLYPH_CHECK, [FONT_FAMILY, sample])
            result.font_status = glyphs["status"]
            result.cjk_glyphs = glyphs["glyphs"]
            layout = page.evaluate(_LAYOUT)
            result.window_width, result.page_width = layout["width"], layout["page"]
            result.chart_text_px = [round(px, 2) for px in layout["charts"]]
            result.too_wide, result.tables = layout["wide"], layout["tables"]
            if screenshot is not None:
                Path(screenshot).parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot), full_page=True)
                result.screenshot = Path(screenshot)
        finally:
            browser.close()
    return result
