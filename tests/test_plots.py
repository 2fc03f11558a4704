"""Charts: styled by rcParams, Chinese text in the shipped CJK font, no missing glyphs."""

import subprocess
import sys
import textwrap
import warnings

import pandas as pd
from matplotlib import font_manager

from analysis import fonts
from analysis.report import plots


def test_cjk_font_comes_from_the_package_not_the_system():
    assert fonts.register() == "Noto Sans CJK SC"
    found = font_manager.findfont(
        font_manager.FontProperties(family="Noto Sans CJK SC"), fallback_to_default=False
    )
    assert found == str(fonts.cjk_font_path())
    assert "site-packages/mplfonts" in found


def test_chinese_chart_has_no_missing_glyphs():
    table = pd.DataFrame({"label": ["二七区", "河南省", "全国"], "yoy_pct": [8.0, 7.7, -1.6]})
    with warnings.catch_warnings(record=True) as caught, plots.style():
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
    with plots.style():
        first = plots.to_png(plots.growth_comparison(table, highlight="二七区", title="t",
                                                     xlabel="%"))  # fmt: skip
        again = plots.to_png(plots.growth_comparison(table, highlight="二七区", title="t",
                                                     xlabel="%"))  # fmt: skip
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


def test_charts_follow_the_theme_and_the_report_has_its_own():
    table = pd.DataFrame({"label": ["二七区", "全国"], "yoy_pct": [8.0, 6.3]})
    with plots.style():
        report = plots.growth_comparison(table, highlight="二七区", title="t", xlabel="%")
        assert plots.colors()["highlight"] == "#c0392b"
    with plots.style({"font.size": 6, "figure.figsize": [2 * plots.REPORT_WIDTH, 4]}):
        small = plots.growth_comparison(table, highlight="二七区", title="t", xlabel="%")
    assert report.axes[0]._left_title.get_fontsize() == 14
    assert small.axes[0]._left_title.get_fontsize() == 7
    assert small.get_size_inches()[0] == 2 * report.get_size_inches()[0]


def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_import_analysis_registers_the_font_lazily_and_keeps_the_theme():
    out = run_python(
        """
        import sys, warnings
        import analysis
        print("matplotlib imported:", "matplotlib" in sys.modules)
        import matplotlib as mpl
        from matplotlib.figure import Figure
        print("family:", mpl.rcParams["font.family"])
        print("sans-serif first:", mpl.rcParams["font.sans-serif"][0])
        fig = Figure()
        fig.subplots().set_title("二七区 GDP 增长")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(__import__("io").BytesIO(), format="png")
        print("missing glyphs:", sum("Glyph" in str(w.message) for w in caught))
        """
    )
    assert "matplotlib imported: False" in out
    assert "family: ['sans-serif', 'Noto Sans CJK SC']" in out  # a fallback, after the theme's
    assert "sans-serif first: DejaVu Sans" in out  # Latin text keeps the theme's font
    assert "missing glyphs: 0" in out


def test_a_theme_set_after_import_gets_the_fallback_back():
    out = run_python(
        """
        import warnings
        import matplotlib
        import analysis
        import seaborn as sns
        from matplotlib.figure import Figure
        sns.set_theme(style="ticks", palette="colorblind")
        print("after the theme:", matplotlib.rcParams["font.family"])
        analysis.add_cjk_fallback()
        fig = Figure()
        fig.subplots().set_title("二七区")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(__import__("io").BytesIO(), format="png")
        print("missing glyphs:", sum("Glyph" in str(w.message) for w in caught))
        """
    )
    assert "after the theme: ['sans-serif']" in out
    assert "missing glyphs: 0" in out
