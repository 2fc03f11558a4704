"""``reasons`` (many at once) writes what ``reason`` writes for each element."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import reasons

_values = st.one_of(
    st.text(alphabet=list("ab =,;%\n中"), max_size=5),
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.booleans(),
    st.lists(st.sampled_from(["2018H1", "2019 FY", "a,b"]), max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_values, _values), min_size=1, max_size=8))
def test_reasons_equal_reason_of_each_element(pairs):
    value = np.empty(len(pairs), dtype=object)
    others = np.empty(len(pairs), dtype=object)
    for i, (a, b) in enumerate(pairs):
        value[i], others[i] = a, b
    many = reasons.reasons("disagree", value=value, others=others)
    one_by_one = [reasons.reason("disagree", value=a, others=b) for a, b in pairs]
    assert many.tolist() == one_by_one


def test_numeric_arrays_and_scalars():
    many = reasons.reasons("disagree", value=np.array([1.0, -0.0, 2.5]), others="x y")
    assert many.tolist() == [
        reasons.reason("disagree", value=v, others="x y") for v in (1.0, -0.0, 2.5)
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(allow_nan=True),
            st.integers(-3, 3),
            st.text(alphabet=list("a =中"), max_size=3),
            st.booleans(),
        ),
        max_size=8,
    )
)
def test_typed_arrays_equal_reason_of_each_element(rows):
    floats = np.array([r[0] for r in rows], dtype=float)
    ints = np.array([r[1] for r in rows], dtype=np.int64)
    texts = np.array([r[2] for r in rows], dtype=str)
    flags = np.array([r[3] for r in rows], dtype=bool)
    many = reasons.reasons("disagree_many", value=floats, n=ints, lowest=texts, highest=flags)
    assert many.shape == (len(rows),)
    assert many.tolist() == [
        reasons.reason("disagree_many", value=f, n=i, lowest=t, highest=b)
        for f, i, t, b in zip(
            floats.tolist(), ints.tolist(), texts.tolist(), flags.tolist(), strict=True
        )
    ]
