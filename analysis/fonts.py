"""The CJK font the project ships, registered with matplotlib so that Chinese renders.

The font is Noto Sans CJK SC from the ``mplfonts`` package (installed from the lock file):
charts never depend on the fonts of the machine they are drawn on. ``import analysis``
calls :func:`install`, which costs nothing until matplotlib is in use: when
``matplotlib.font_manager`` is (or gets) imported, the font file is added to matplotlib's
font manager and its family is appended to ``rcParams["font.family"]`` as a fallback. The
user's theme stays: Latin text keeps the theme's font, and only glyphs that font lacks
(Chinese) come from the CJK font. A theme set later (``seaborn.set_theme``) resets
``font.family``; :func:`add_cjk_fallback` (``analysis.add_cjk_fallback()``) appends the
fallback again, and the package's own charts always draw with it.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from analysis.errors import HalfyearError

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
CJK_FONT_NAME = "Noto Sans CJK SC"
_HOOKED = "matplotlib.font_manager"


class FontMissingError(HalfyearError, RuntimeError):
    """The CJK font package is not installed."""


def cjk_font_path() -> Path:
    """Path of the CJK font file shipped by the ``mplfonts`` package (not imported).

    Raises
    ------
    FontMissingError
        When ``mplfonts`` is not installed, with the command that installs it.

    Examples
    --------
    >>> cjk_font_path().name
    'NotoSansCJKsc-Regular.otf'
    """
    import importlib.util

    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise FontMissingError(
            "the CJK font package mplfonts is not installed; run `make env` "
            "(it installs everything in requirements/runtime.lock)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / CJK_FONT_FILE
    if not path.exists():
        raise FontMissingError(f"{path} is missing from the mplfonts package; reinstall it")
    return path


_REGISTERED: list[str] = []


def register() -> str:
    """Add the CJK font to matplotlib's font manager (once) and append it as a fallback.

    Returns the font's family name.

    Examples
    --------
    >>> register()
    'Noto Sans CJK SC'
    """
    from matplotlib import font_manager

    if not _REGISTERED:
        font_manager.fontManager.addfont(str(cjk_font_path()))
        _REGISTERED.append(CJK_FONT_NAME)
    add_cjk_fallback()
    return CJK_FONT_NAME


def add_cjk_fallback() -> None:
    """Append the CJK font to ``rcParams["font.family"]`` if a theme has reset it.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with mpl.rc_context({"font.family": "sans-serif"}):
    ...     add_cjk_fallback()
    ...     mpl.rcParams["font.family"]
    ['sans-serif', 'Noto Sans CJK SC']
    """
    import matplotlib as mpl

    if not _REGISTERED:
        register()
        return
    family = mpl.rcParams["font.family"]
    family = [family] if isinstance(family, str) else list(family)
    if CJK_FONT_NAME not in family:
        mpl.rcParams["font.family"] = [*family, CJK_FONT_NAME]


class _AfterFontManager:
    """Registers the font right after ``matplotlib.font_manager`` is first imported (a
    finder on ``sys.meta_path``; importing ``importlib.abc`` would cost more than it does)."""

    def find_spec(self, name, path, target=None):
        if name != _HOOKED:
            return None
        import importlib.util

        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            with contextlib.suppress(FontMissingError):  # charts say so when drawn
                register()

        spec.loader.exec_module = exec_module
        return spec


def install() -> None:
    """Register the font now if matplotlib is in use, else as soon as it is."""
    if _HOOKED in sys.modules:
        with contextlib.suppress(FontMissingError):
            register()
    elif not any(isinstance(f, _AfterFontManager) for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterFontManager())
