"""The halfyear command: user mistakes give one clear line and exit 2, no traceback."""

import shutil
import subprocess
import sys

import pytest

from analysis import cli

from .conftest import FIXTURES


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("empty.csv", "empty.csv"),
        ("missing_column.csv", "unit"),
        ("undecodable.csv", "undecodable.csv, line"),
    ],
)
def test_clean_stops_on_an_unreadable_file(tmp_path, fixture, message):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / fixture, raw / fixture)
    done = run("clean", "--raw", str(raw), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out" / "figures.parquet").exists()


def test_clean_prints_the_reconciliation(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / "wide_erqi_2019H1_gbk.csv", raw)
    assert cli.main(["clean", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "wide_erqi_2019H1_gbk.csv: encoding gb18030" in out
    assert "total: read 7 = kept 7 + rejected 0" in out
    assert (tmp_path / "out" / "figures.parquet").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "火星区"], "unknown region '火星区'; regions with data:"),
        (
            ["--region", "岳阳县", "--period", "2021H1"],
            "no figures for 岳阳县 yet: add them with `halfyear template --region 430621 "
            "--period 2021H1 --out FILE.xlsx`",
        ),
        (["--region", "鼓楼区"], "ambiguous region '鼓楼区': 江苏省南京市鼓楼区 (320106)"),
        (["--period", "2031H1"], "periods with data for erqi:"),
        (["--lang", "fr"], "unknown language 'fr'; available: zh, en"),
    ],
)
def test_report_refuses_bad_parameters_before_any_kernel(processed_path, tmp_path, args, message):
    done = run("report", "--data", str(processed_path), "--out", str(tmp_path), *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []  # no notebook was executed


def test_regions_finds_any_registry_region_with_its_chain_and_peers(capsys):
    assert cli.main(["regions", "岳阳县"]) == 0
    line = capsys.readouterr().out.strip()
    assert line == "430621\t岳阳县\t县\t湖南省 > 岳阳市 > 岳阳县; peers: 岳阳市各县"
    assert cli.main(["regions", "管城区"]) == 0
    assert capsys.readouterr().out.startswith(
        "guancheng (410104)\t管城回族区\t市辖区\t河南省 > 郑州市"
    )
    assert cli.main(["regions", "鼓楼"]) == 0
    assert len(capsys.readouterr().out.splitlines()) >= 4  # every 鼓楼区, with its city
    assert cli.main(["regions", "郫县"]) == 0
    assert "郫都区" in (out := capsys.readouterr().out) and "formerly 郫县 (510124" in out


def test_regions_without_a_match_exits_2():
    done = run("regions", "火星")
    assert done.returncode == 2
    assert "no region matches '火星'" in done.stderr and "Traceback" not in done.stderr


def test_backtest_prints_counts_and_the_numbers_the_report_shows(processed_path, capsys):
    import io

    import pandas as pd

    from analysis.compute import projection
    from analysis.data.pipeline import load_figures

    assert cli.main(["backtest", "--region", "china", "--data", str(processed_path)]) == 0
    out = capsys.readouterr().out
    assert "china gdp: every year before 2025 projected from its own first half" in out
    assert "80% interval held" in out and " of " in out and "years" in out
    assert "lead method for 2025:" in out
    args = ["backtest", "--region", "全国", "--year", "2020", "--format", "csv"]
    assert cli.main([*args, "--data", str(processed_path)]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out)).set_index("method")
    result = projection.project(
        load_figures(processed_path), region="china", indicator="gdp", year=2020
    )
    shown = result.backtest().summary().set_index("method")
    for method in table.index:
        for column in ("n", "mape_pct", "ratio_to_same_growth", "n_covered", "n_interval"):
            assert table.loc[method, column] == pytest.approx(
                shown.loc[method, column], nan_ok=True
            )


def test_backtest_labels_a_proxys_errors_as_the_proxys(processed_path, capsys):
    assert cli.main(["backtest", "--region", "erqi", "--data", str(processed_path)]) == 0
    assert "erqi has no backtest year: these are the errors of zhengzhou" in capsys.readouterr().out


def test_backtest_mistakes_give_one_line():
    done = run("backtest", "--region", "atlantis")
    assert done.returncode == 2 and "unknown region 'atlantis'" in done.stderr
    assert "Traceback" not in done.stderr
    done = run("backtest")
    assert done.returncode == 2 and "give --region R" in done.stderr
