"""Words by language: every reason code and every label has its words in every language."""

import string

import pytest

from analysis import reasons
from analysis.compute import checks
from analysis.compute.indicator_table import indicator_table
from analysis.report import texts


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("lang", sorted(texts.LANGS))
def test_every_reason_code_has_a_template_with_its_arguments(lang):
    words = texts.language(lang)
    assert set(words.REASONS) == set(reasons.CODES)
    for code, args in reasons.CODES.items():
        assert fields(words.REASONS[code]) == set(args), code


def test_every_argument_has_a_way_to_be_shown():
    used = {a for args in reasons.CODES.values() for a in args}
    assert used <= set(reasons.ARGS)
    for lang in texts.LANGS:
        words = texts.language(lang)
        for name, kind in reasons.ARGS.items():
            if kind == "word":
                assert name in words.ARG_WORDS, (lang, name)


def test_the_languages_have_the_same_words_with_the_same_fields():
    zh, en = texts.language("zh"), texts.language("en")
    assert set(zh.WORDS) == set(en.WORDS)
    for key in zh.WORDS:
        assert fields(zh.WORDS[key]) == fields(en.WORDS[key]), key
    for table in ("ARG_WORDS", "VERDICTS", "CHECKS", "VINTAGES", "METHODS"):
        a, b = getattr(zh, table), getattr(en, table)
        assert set(a) == set(b), table
        if table == "ARG_WORDS":
            assert all(set(a[k]) == set(b[k]) for k in a), table
    assert len(zh.FORMULAS) == len(en.FORMULAS)


def test_a_reason_round_trips_through_its_text():
    text = reasons.reason("disagree", value="9", others="9.1 (a b.csv:3), 8,5; x=y 100%")
    (parsed,) = reasons.parse(text)
    assert parsed.code == "disagree"
    assert parsed["others"] == "9.1 (a b.csv:3), 8,5; x=y 100%"
    nested = reasons.reason("conflicting_sources", conflict=text)
    assert reasons.parse(nested)[0]["conflict"] == text
    assert texts.say(nested, lang="en") == (
        "conflicting sources: 9 here vs 9.1 (a b.csv:3), 8,5; x=y 100%"
    )


def test_undeclared_codes_and_arguments_are_refused():
    with pytest.raises(reasons.ReasonError, match="unknown reason code"):
        reasons.reason("no_such_code")
    with pytest.raises(reasons.ReasonError, match=r"takes \['period'\]"):
        reasons.reason("no_level", year="2019")
    with pytest.raises(reasons.ReasonError, match="not a reason code"):
        texts.say("no level for 2018H1", lang="zh")


def test_every_reason_of_the_data_renders_in_every_language(processed):
    figures = processed.figures
    actual = figures[~figures["is_target"]]
    found = set()
    for period in sorted(set(actual["period"])):
        table = indicator_table(figures, region=None, period=period)
        found |= set(table["reason"])
    found |= set(checks.reproduce_published(figures)["detail"])
    found.discard("")
    codes = {r.code for text in found for r in reasons.parse(text)}
    assert {"no_level", "ranked_among_few", "conflicting_sources", "check_levels"} <= codes
    for lang in texts.LANGS:
        names = texts.Names(lang)
        for text in sorted(found):
            said = texts.say(text, lang=lang, names=names)
            assert said and "{" not in said, text
