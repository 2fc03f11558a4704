"""Charts: Chinese text renders with the shipped CJK font, without missing glyphs."""

import warnings

import pandas as pd
from matplotlib import font_manager

from analysis.report import plots


def test_cjk_font_comes_from_the_package_not_the_system():
    assert plots.use_cjk_font() == "Noto Sans CJK SC"
    found = font_manager.findfont(
        font_manager.FontProperties(family="Noto Sans CJK SC"), fallback_to_default=False
    )
    assert found == str(plots.cjk_font_path())
    assert "site-packages/mplfonts" in found


def test_chinese_chart_has_no_missing_glyphs():
    table = pd.DataFrame({"label": ["二七区", "河南省", "全国"], "yoy_pct": [8.0, 7.7, -1.6]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plots.growth_comparison(
            table,
            highlight="二七区",
            title="地区生产总值同比增长:二七区与上级地区",
            xlabel="同比增长(%)",
        )
        png = plots.to_png(fig)
    glyphs = [str(w.message) for w in caught if "Glyph" in str(w.message)]
    assert glyphs == []
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["二七区", "河南省", "全国"]
    assert ax.patches[0].get_facecolor()[:3] != ax.patches[1].get_facecolor()[:3]


def test_png_is_reproducible():
    table = pd.DataFrame({"label": ["二七区", "全国"], "yoy_pct": [8.0, 6.3]})
    first = plots.to_png(plots.growth_comparison(table, highlight="二七区", title="t", xlabel="%"))
    again = plots.to_png(plots.growth_comparison(table, highlight="二七区", title="t", xlabel="%"))
    assert first == again


def test_dollar_signs_from_data_are_drawn_as_written():
    # a name with $...$ is text, not mathtext: no parse error, no italics
    table = pd.DataFrame({"label": [r"$\alpha$区", "全国"], "yoy_pct": [8.0, 6.3]})
    fig = plots.growth_comparison(table, highlight=r"$\alpha$区", title=r"$\frac{增长$ US$5",
                                  xlabel="%")  # fmt: skip
    assert plots.to_png(fig)[:4] == b"\x89PNG"
    texts = [t for t in fig.findobj(lambda a: hasattr(a, "_preprocess_math")) if t.get_text()]
    assert any("$" in t.get_text() for t in texts)
    assert not [t.get_text() for t in texts if t._preprocess_math(t.get_text())[1]]
