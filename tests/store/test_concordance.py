"""The concordance's store part on a real database: lines, contexts, filters, sorts, pages."""

from __future__ import annotations

import pytest

from annotator.core.errors import UsageError
from annotator.store.concordance import (
    CONTEXT,
    ConcordanceFilter,
    LineKind,
    SortKey,
    left_key,
)


def _matches(lines):
    return [(line.match, line.label, line.state) for line in lines]


def test_one_line_per_suggestion_and_manual_span_with_contexts_cut_from_the_text(
    concordance_corpus,
):
    ws, ids = concordance_corpus
    concordance = ws.store.concordance
    assert concordance.count(ConcordanceFilter()) == 10
    lines = concordance.page(ConcordanceFilter(), limit=100)
    assert len(lines) == 10
    first = lines[0]
    text = ws.store.documents.text(ids[0])
    assert (first.title, first.match, first.state, first.rule) == (
        "Alpha",
        "Joko Widodo",
        "pending",
        "people",
    )
    assert first.left == text[: first.start] == "Presiden "
    assert first.right == text[first.end : first.end + CONTEXT]
    manual = [line for line in lines if line.key.kind == LineKind.SPAN]
    assert [(m.match, m.label, m.state, m.rule) for m in manual] == [
        ("Menteri", "ROLE", "manual", None)
    ]


def test_a_long_document_gives_contexts_of_the_context_width_only(workspace):
    from annotator.core.model import Document

    text = "x" * 500 + " Jakarta " + "y" * 500
    (doc_id,) = workspace.store.documents.insert([Document(text=text, title="Long")], annotator="t")
    workspace.add_span(doc_id, 501, 508, "LOC")
    (line,) = workspace.store.concordance.page(ConcordanceFilter())
    assert (line.left, line.match, line.right) == (
        "x" * (CONTEXT - 1) + " ",
        "Jakarta",
        " " + "y" * (CONTEXT - 1),
    )


def test_an_accepted_suggestion_is_one_line_not_two(concordance_corpus):
    ws, _ = concordance_corpus
    concordance = ws.store.concordance
    (key,) = concordance.keys(ConcordanceFilter(text="lavrov"))
    ws.accept(key.id)
    assert ws.store.counts()["spans"] == 2
    lines = concordance.page(ConcordanceFilter(text="lavrov"))
    assert _matches(lines) == [("Sergey Lavrov", "PERSON", "accepted")]
    assert concordance.count(ConcordanceFilter()) == 10


def test_filters_narrow_by_rule_label_state_text_document_and_title(concordance_corpus):
    ws, ids = concordance_corpus
    count = ws.store.concordance.count
    assert count(ConcordanceFilter(rule="places")) == 3
    assert count(ConcordanceFilter(label="PERSON")) == 6
    assert count(ConcordanceFilter(label="ROLE")) == 1
    assert count(ConcordanceFilter(states=("manual",))) == 1
    assert count(ConcordanceFilter(states=("pending",))) == 9
    assert count(ConcordanceFilter(states=("rejected",))) == 0
    assert count(ConcordanceFilter(rule="places", states=("manual",))) == 0
    assert count(ConcordanceFilter(text="JOKO")) == 3  # any case, a substring of the match
    assert count(ConcordanceFilter(text="joko wid")) == 2
    assert count(ConcordanceFilter(document=ids[1])) == 4
    assert count(ConcordanceFilter(title="gam")) == 2
    assert count(ConcordanceFilter(label="PERSON", document=ids[0], text="putin")) == 1


def test_an_unknown_state_is_refused_with_its_name(concordance_corpus):
    ws, _ = concordance_corpus
    with pytest.raises(UsageError, match="unknown state maybe"):
        ws.store.concordance.count(ConcordanceFilter(states=("maybe",)))


def test_sort_by_left_context_reads_the_nearest_word_first(concordance_corpus):
    ws, _ = concordance_corpus
    lines = ws.store.concordance.page(ConcordanceFilter(label="PERSON"), SortKey.LEFT)
    keys = [left_key(line.left) for line in lines]
    assert keys == sorted(keys)
    # "Presiden Joko Widodo", "Presiden Putin": both after "Presiden", so side by side.
    nearest = [line.left.split()[-1] if line.left.split() else "" for line in lines]
    at = nearest.index("Presiden")
    assert nearest[at + 1] == "Presiden"
    descending = ws.store.concordance.page(
        ConcordanceFilter(label="PERSON"), SortKey.LEFT, descending=True
    )
    assert [line.key for line in descending] == [line.key for line in reversed(lines)]


@pytest.mark.parametrize(
    ("sort", "value"),
    [
        (SortKey.MATCH, lambda line: line.match.lower()),
        (SortKey.RIGHT, lambda line: " ".join(line.right.split()).lower()),
        (SortKey.LABEL, lambda line: line.label),
        (SortKey.STATE, lambda line: line.state),
        (SortKey.DOCUMENT, lambda line: line.title.lower()),
        (SortKey.POSITION, lambda line: (line.document_id, line.start)),
    ],
)
def test_every_column_sorts(concordance_corpus, sort, value):
    ws, _ = concordance_corpus
    lines = ws.store.concordance.page(ConcordanceFilter(), sort, limit=100)
    assert len(lines) == 10
    assert [value(line) for line in lines] == sorted(value(line) for line in lines)


def test_sort_by_rule_puts_manual_spans_first(concordance_corpus):
    ws, _ = concordance_corpus
    lines = ws.store.concordance.page(ConcordanceFilter(), SortKey.RULE)
    assert [line.rule for line in lines] == [None] + ["people"] * 6 + ["places"] * 3


def test_pages_cover_every_line_once_in_order(concordance_corpus):
    ws, _ = concordance_corpus
    concordance = ws.store.concordance
    whole = concordance.keys(ConcordanceFilter(), SortKey.MATCH)
    paged = []
    for offset in range(0, 10, 3):
        paged += [
            line.key
            for line in concordance.page(ConcordanceFilter(), SortKey.MATCH, offset=offset, limit=3)
        ]
    assert paged == whole
    assert len(set(whole)) == 10
    assert concordance.page(ConcordanceFilter(), offset=10, limit=3) == []


def test_lines_by_key_keep_the_keys_order_and_leave_out_what_is_gone(concordance_corpus):
    ws, _ = concordance_corpus
    concordance = ws.store.concordance
    keys = concordance.keys(ConcordanceFilter())
    wanted = [keys[7], keys[2], keys[5]]
    assert [line.key for line in concordance.lines(wanted)] == wanted
    (span_key,) = concordance.keys(ConcordanceFilter(states=("manual",)))
    ws.delete_span(span_key.id)
    assert concordance.lines([span_key, keys[0]])[0].key == keys[0]
    assert len(concordance.lines([span_key, keys[0]])) == 1
