"""Extraction measured on real bulletin passages labelled by hand (extract_corpus/bulletins)."""

from __future__ import annotations

import hashlib

import pytest

from tests import bulletin_corpus as corpus

FROZEN = corpus.CORPUS / "FROZEN.sha256"


def test_the_corpus_is_large_and_varied():
    passages = corpus.load()
    assert len(passages) >= 15
    assert sum(len(p.figures) for p in passages) >= 300
    assert len({p.meta["region"] for p in passages}) >= 10
    assert len({p.meta["chain"].split()[0] for p in passages}) >= 5
    assert not any("二七区" in p.text or p.meta["region"] == "二七区" for p in passages)
    for split in corpus.SPLITS:
        assert sum(len(p.figures) for p in corpus.load(split)) >= 200, split
    for p in passages:
        assert p.meta["source"].startswith("http"), p.id
        assert int(p.meta["period"][:4]) >= 2018, p.id


@pytest.mark.parametrize("split", ["heldout", "fresh"])
def test_the_frozen_splits_are_unchanged(split):
    recorded = dict(
        reversed(line.split("  ", 1)) for line in FROZEN.read_text(encoding="utf-8").splitlines()
    )
    files = corpus.frozen_files(split)
    assert files
    for path in files:
        assert recorded.get(path.name) == corpus.sha256(path), path.name
    listing = "".join(f"{corpus.sha256(p)}  {p.name}\n" for p in files)
    digest = hashlib.sha256(listing.encode()).hexdigest()
    assert digest in (corpus.CORPUS / "README.md").read_text(encoding="utf-8")


def test_a_bad_labels_line_says_where():
    text = "@split dev\n@source http://x\n@region 某县\n@period 2021H1\n生猪出栏 ; v 6.4\n"
    with pytest.raises(corpus.LabelError, match=r"x:5: v takes a number and a unit"):
        corpus.parse_labels(text, "x")
