"""Charts for the reports, drawn with seaborn, with Chinese text in a font the project ships.

The CJK font is Noto Sans CJK SC from the ``mplfonts`` package (installed from the lock
file), registered with matplotlib on first use: reports never depend on fonts of the
machine they are built on.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import matplotlib as mpl
import pandas as pd
import seaborn as sns
from matplotlib import font_manager
from matplotlib.figure import Figure

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
CJK_FONT_NAME = "Noto Sans CJK SC"
HIGHLIGHT = "#c0392b"
OTHERS = "#7f8c8d"


class FontMissingError(RuntimeError):
    """The CJK font package is not installed."""


def cjk_font_path() -> Path:
    """Path of the CJK font file shipped by the ``mplfonts`` package.

    Raises
    ------
    FontMissingError
        When ``mplfonts`` is not installed, with the command that installs it.

    Examples
    --------
    >>> cjk_font_path().name
    'NotoSansCJKsc-Regular.otf'
    """
    try:
        import mplfonts
    except ImportError:
        raise FontMissingError(
            "the CJK font package mplfonts is not installed; run `make env` "
            "(it installs everything in requirements.lock)"
        ) from None
    path = Path(mplfonts.__file__).parent / "fonts" / CJK_FONT_FILE
    if not path.exists():
        raise FontMissingError(f"{path} is missing from the mplfonts package; reinstall it")
    return path


@cache
def use_cjk_font() -> str:
    """Register the shipped CJK font with matplotlib and make it the default.

    Returns the font family name. Safe to call many times.

    Examples
    --------
    >>> use_cjk_font()
    'Noto Sans CJK SC'
    """
    font_manager.fontManager.addfont(str(cjk_font_path()))
    sns.set_theme(style="whitegrid", font=CJK_FONT_NAME)
    mpl.rcParams["font.family"] = [CJK_FONT_NAME]
    mpl.rcParams["axes.unicode_minus"] = False
    return CJK_FONT_NAME


def to_png(fig: Figure, *, dpi: int = 110) -> bytes:
    """A figure as PNG bytes, with no timestamp in the file (same input, same bytes).

    Examples
    --------
    >>> fig = Figure(figsize=(1, 1))
    >>> to_png(fig)[:4]
    b'\\x89PNG'
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def growth_comparison(table: pd.DataFrame, *, highlight: str, title: str, xlabel: str) -> Figure:
    """Horizontal bars of growth rates, one per region, the report's region highlighted.

    Parameters
    ----------
    table : DataFrame
        Columns ``label`` (region name as shown) and ``yoy_pct``.
    highlight : str
        The label to draw in the highlight colour.
    title, xlabel : str
        Texts in the report's language.

    Examples
    --------
    >>> t = pd.DataFrame({"label": ["二七区", "河南省", "全国"], "yoy_pct": [8.0, 7.7, 6.3]})
    >>> fig = growth_comparison(t, highlight="二七区", title="增速", xlabel="%")
    >>> [float(p.get_width()) for p in fig.axes[0].patches]
    [8.0, 7.7, 6.3]
    """
    use_cjk_font()
    data = table.dropna(subset=["yoy_pct"]).reset_index(drop=True)
    palette = {lab: (HIGHLIGHT if lab == highlight else OTHERS) for lab in data["label"]}
    height = 0.6 + 0.55 * len(data)
    fig = Figure(figsize=(6.4, height), layout="constrained")
    ax = fig.subplots()
    sns.barplot(
        data=data, x="yoy_pct", y="label", hue="label", palette=palette, legend=False, ax=ax
    )
    for patch, value in zip(ax.patches, data["yoy_pct"], strict=True):
        ax.annotate(
            f"{value:+.1f}%",
            (patch.get_width(), patch.get_y() + patch.get_height() / 2),
            xytext=(4 if value >= 0 else -4, 0),
            textcoords="offset points",
            va="center",
            ha="left" if value >= 0 else "right",
            fontsize=12,
        )
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_title(title, fontsize=14, loc="left")
    ax.set_xlabel(xlabel, fontsize=12)
    ax.set_ylabel("")
    ax.tick_params(labelsize=12)
    lo, hi = min(0.0, data["yoy_pct"].min()), max(0.0, data["yoy_pct"].max())
    pad = 0.18 * max(hi - lo, 1.0)
    ax.set_xlim(lo - (pad if lo < 0 else 0), hi + pad)
    return fig
