"""Terms with the same postings share one row; a query walks it once with the weights summed."""

from __future__ import annotations

import math
from collections import Counter

from bot.bm25 import Bm25


def _docs() -> list[Counter[str]]:
    # 军休所 and 干休所 (one synonym group) are in exactly the same documents, as often.
    return [
        Counter({"军休所": 1, "干休所": 1, "体检": 1}),
        Counter({"军休所": 2, "干休所": 2, "补贴": 1}),
        Counter({"体检": 1, "补贴": 1}),
    ]


def test_terms_with_the_same_postings_share_a_row() -> None:
    bm = Bm25.build(_docs())
    rows = bm.postings.rows
    assert rows["军休所"] == rows["干休所"]
    assert len({rows["军休所"], rows["体检"], rows["补贴"]}) == 3
    assert len(bm.postings.starts) - 1 == 3 and len(bm.postings.docs) == 6
    for term in rows:
        assert bm.postings.df(term) == 2
    assert bm.idf("干休所", 0.0) == bm.idf("军休所", 0.0) > 0


def test_a_shared_row_scores_as_both_terms_did() -> None:
    docs = _docs()
    bm = Bm25.build(docs)
    query = {"军休所": 1.0, "体检": 0.7, "干休所": 0.5}
    got = bm.scores(query)
    # The sum term by term, as each term had its own postings.
    want: dict[int, float] = {}
    for term, qw in query.items():
        for d, w in bm.postings.of(term):
            want[d] = want.get(d, 0.0) + qw * w
    assert list(got) == list(want)  # the same documents, first met in the same order
    assert all(math.isclose(got[d], want[d], rel_tol=1e-12) for d in want)
    assert bm.scores({"补贴": 1.0}, max_df=0.5) == {}  # in 2 of 3 documents: skipped
