"""Full-text corpus search through the workspace, on a real database (FTS5, and the LIKE
fallback)."""

from __future__ import annotations

import pytest

from annotator.core.model import Document

TEXTS = [
    (
        "Satu",
        (
            "Presiden Joko Widodo bertemu Menteri luar negeri di Jakarta kemarin. "
            "Joko Widodo tersenyum."
        ),
    ),
    (
        "Dua",
        "😀 Delegasi José Müller tiba di Jakarta.\nWidodo tidak hadir; Joko pulang lebih awal.",
    ),
    (
        "Tiga",
        (
            "Tidak ada yang penting di sini, hanya Jakarta near the NEAR "
            '"kutipan" AND -minus *bintang*.'
        ),
    ),
    ("Empat", "Cafe\u0301 di Bandung menjual kopi. Straße, İstanbul."),
]


@pytest.fixture
def corpus(workspace):
    ids = workspace.store.documents.insert(
        [Document(text=text, title=title, source=title) for title, text in TEXTS],
        annotator="tester",
    )
    return workspace, ids


def _hits(ws, query, **kw):
    return [(h.document_id, h.match) for h in ws.search(query, **kw)]


def test_a_phrase_is_found_with_exact_offsets_and_context(corpus):
    ws, ids = corpus
    hits = ws.search("joko widodo")
    assert [(h.document_id, h.match) for h in hits] == [
        (ids[0], "Joko Widodo"),
        (ids[0], "Joko Widodo"),
        (ids[1], "Widodo"),
        (ids[1], "Joko"),
    ]
    text = TEXTS[0][1]
    first = hits[0]
    assert (first.start, first.end) == (9, 20) and text[first.start : first.end] == first.match
    assert (
        first.title == "Satu"
        and first.before == "Presiden "
        and first.after.startswith(" bertemu Menteri")
    )
    assert len(first.after) == 40
    second = hits[1]
    assert second.before == text[second.start - 40 : second.start]


def test_without_the_phrase_each_word_is_a_hit_and_every_word_is_required(corpus):
    ws, ids = corpus
    # Document two has both words, but not next to each other: each word is a hit.
    assert _hits(ws, "widodo joko") == [
        (ids[0], "Joko"),
        (ids[0], "Widodo"),
        (ids[0], "Joko"),
        (ids[0], "Widodo"),
        (ids[1], "Widodo"),
        (ids[1], "Joko"),
    ]
    assert _hits(ws, "hadir widodo") == [(ids[1], "Widodo"), (ids[1], "hadir")]
    assert ws.search("jakarta bandung") == []


def test_hits_come_in_import_order_then_text_order(corpus):
    ws, ids = corpus
    hits = ws.search("jakarta")
    assert [h.document_id for h in hits] == [ids[0], ids[1], ids[2]]
    two = ws.search("di")
    assert [(h.document_id, h.start) for h in two] == sorted((h.document_id, h.start) for h in two)


def test_the_last_word_is_a_prefix(corpus):
    ws, ids = corpus
    assert _hits(ws, "Joko Wid")[:2] == [(ids[0], "Joko Widodo"), (ids[0], "Joko Widodo")]
    assert _hits(ws, "jakar") == [(ids[0], "Jakarta"), (ids[1], "Jakarta"), (ids[2], "Jakarta")]
    assert ws.search("jak widodo") == []  # only the last word may be cut short


def test_case_and_accents_are_ignored_and_offsets_stay_code_points(corpus):
    ws, _ = corpus
    text = TEXTS[1][1]
    [hit] = ws.search("JOSE muller")
    assert hit.match == "José Müller" == text[hit.start : hit.end] and hit.start == text.index(
        "José"
    )
    [cafe] = ws.search("cafe")
    assert cafe.match == "Cafe\u0301" and (cafe.start, cafe.end) == (0, 5)
    [hit] = ws.search("istanbul")
    assert hit.match == "İstanbul"
    [hit] = ws.search("stra")
    assert hit.match == "Straße"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!",
        '"',
        "'",
        "*",
        "-",
        "-minus",
        "(",
        ")",
        "a AND",
        "OR",
        "NOT x",
        "NEAR(",
        "col:umn",
        "^start",
        'x"y',
        "'; drop table documents; --",
        "\x00",
        "%",
        "_",
        "\\",
    ],
)
def test_bad_queries_never_raise(corpus, query):
    ws, _ = corpus
    assert isinstance(ws.search(query), list)
    assert len(ws.documents()) == len(TEXTS)


def test_query_syntax_is_only_words(corpus):
    ws, ids = corpus
    assert _hits(ws, "NEAR") == [(ids[2], "near"), (ids[2], "NEAR")]
    assert _hits(ws, '"kutipan" AND') == [(ids[2], 'kutipan" AND')]
    assert _hits(ws, "*bintang*") == [(ids[2], "bintang")]
    assert _hits(ws, "-minus") == [(ids[2], "minus")]


def test_the_limit_is_respected(corpus):
    ws, _ = corpus
    assert len(ws.search("di", limit=2)) == 2
    assert ws.search("di", limit=0) == []


def test_documents_imported_later_are_found_at_once(workspace, tmp_path):
    assert workspace.search("Kremlin") == []
    (tmp_path / "a.txt").write_text("Juru bicara Kremlin menolak berkomentar.", encoding="utf-8")
    report = workspace.import_paths([tmp_path])
    assert [h.document_id for h in workspace.search("kremlin")] == report.document_ids


def test_the_portable_fallback_gives_the_same_ascii_answers(corpus):
    ws, _ = corpus
    queries = ["joko widodo", "widodo joko", "jakar", "NEAR", "di", "jak widodo", '"kutipan" AND']
    with_fts = {q: ws.search(q) for q in queries}
    ws.store.search._fts_present = False  # as on a database without FTS5
    assert {q: ws.search(q) for q in queries} == with_fts
