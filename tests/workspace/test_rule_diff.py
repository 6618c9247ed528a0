"""The corpus diff through the workspace: real database, texts streamed from it, the analyst's
accepted work flagged, nothing changed, progress and cancel."""

from __future__ import annotations

import pytest

from annotator.rules.corpus_diff import DocumentDiffer
from annotator.workspace import CorpusDiff, DiffKind, parse_rule

ARTICLES = [
    "Presiden Joko Widodo mengatakan di Jakarta, Sabtu (24/10), bahwa kerja sama berlanjut.",
    "Menteri luar negeri Rusia Sergey Lavrov bertemu John Kerry di Moskow.",
    '"Kami siap membantu," ujar Gubernur Jawa Barat Ridwan Kamil di Bandung.',
    "Komisi Pemberantasan Korupsi (KPK) memeriksa pejabat Kabupaten Klaten.",
    "Harga beras naik pekan ini menurut para pedagang pasar.",
]


@pytest.fixture
def ws(workspace, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for i, text in enumerate(ARTICLES):
        (folder / f"a{i}.txt").write_text(f"Artikel {i}\n\n{text}\n", encoding="utf-8")
    workspace.import_paths([folder])
    assert workspace.rules(), "the database has the default pack"
    return workspace


def _rule(ws, name):
    return next(r for r in ws.rules() if r.name == name)


def _without(ws, name):
    return [r for r in ws.rules() if r.name != name]


def _doc_with(ws, words):
    return next(d.id for d in ws.documents() if words in ws.document(d.id).text)


def test_totals_and_lines_match_the_brute_force(ws):
    before = ws.rules()
    after = _without(ws, "person-after-title")
    diff = ws.corpus_diff(before, after)
    differ = DocumentDiffer(before, after)
    brute = {d.id: differ.full_differences(ws.document(d.id).text) for d in ws.documents()}
    assert diff.checked == diff.total_documents == len(ARTICLES)
    assert len(diff.lines) == sum(map(len, brute.values())) >= 5
    per_doc = {c.document_id: c.appear + c.disappear + c.change for c in diff.documents}
    assert per_doc == {i: len(ds) for i, ds in brute.items() if ds}
    assert (diff.appeared, diff.disappeared, diff.changed) == (0, 1, 5)
    gone = next(x for x in diff.lines if x.kind == DiffKind.DISAPPEAR)
    assert (gone.match, gone.label, gone.rule) == ("Sergey Lavrov", "PERSON", "person-after-title")
    assert gone.left.endswith("Menteri luar negeri Rusia ") and gone.right.startswith(" bertemu")
    assert "\n" not in gone.left  # KWIC lines are one line
    assert gone.title == "Artikel 1"
    role = next(x for x in diff.lines if x.match == "Presiden")
    assert (role.kind, role.rule, role.was) == (
        DiffKind.CHANGE,
        "roles-id",
        "was ROLE by person-after-title",
    )


def test_a_new_rule_only_appears(ws):
    new = parse_rule(
        {"name": "pasar", "label": "LOC", "kind": "phrase", "pattern": {"terms": ["pasar"]}}
    )
    diff = ws.rule_edit_diff(new)
    assert [(x.kind, x.match, x.rule) for x in diff.lines] == [(DiffKind.APPEAR, "pasar", "pasar")]
    assert diff.appeared == 1 and diff.warning() is None
    assert diff.ran == 1  # only the one article with "pasar" ran the full engines


def test_accepted_work_losing_its_support_is_flagged(ws):
    first = _doc_with(ws, "Joko Widodo")
    ws.suggest(first)
    for wanted in ("Presiden", "Sabtu (24/10)"):
        ws.accept(next(s.id for _, s in ws.suggestions(first) if s.text == wanted))
    text = ws.document(first).text
    start = text.index("Jakarta")
    ws.add_span(first, start, start + len("Jakarta"), "LOC")  # by hand, where cities-id says LOC

    # "Presiden" stays ROLE (roles-id takes over): its support is not lost, so not flagged
    diff = ws.corpus_diff(ws.rules(), _without(ws, "person-after-title"))
    assert not [x for x in diff.lines if x.accepted] and diff.warning() is None

    # the date rule gone, "Sabtu (24/10)" shrinks to "Sabtu": accepted work loses its support
    diff = ws.corpus_diff(ws.rules(), _without(ws, "date-day-ddmm"))
    flagged = [x for x in diff.lines if x.accepted]
    assert [(x.document_id, x.match, x.was) for x in flagged] == [
        (first, "Sabtu", "was DATE by date-day-ddmm ‘Sabtu (24/10)’")
    ]
    assert diff.accepted_at_risk == 1
    assert diff.warning() == "This change would remove 1 accepted span's support."

    # a span made by hand counts too
    diff = ws.rule_edit_diff(_rule(ws, "cities-id").with_exception("Jakarta"))
    assert [(x.match, x.kind) for x in diff.lines if x.accepted] == [
        ("Jakarta", DiffKind.DISAPPEAR)
    ]


def test_the_diff_changes_nothing_stored(ws):
    doc_id = ws.documents()[0].id
    ws.suggest(doc_id)
    before_counts = ws.stats()
    before_sugs = ws.suggestions(doc_id)
    undo = ws.undo_description()
    diff = ws.corpus_diff(ws.rules(), _without(ws, "person-after-title"))
    assert not diff.empty
    assert ws.stats() == before_counts
    assert ws.suggestions(doc_id) == before_sugs
    assert ws.undo_description() == undo
    assert [r.name for r in ws.rules()].count("roles-id") == 1


def test_progress_and_cancel(ws):
    seen: list[tuple[int, int]] = []
    diff = ws.corpus_diff(
        ws.rules(), _without(ws, "person-after-title"), progress=lambda d, t: seen.append((d, t))
    )
    assert seen and seen[-1] == (len(ARTICLES), len(ARTICLES))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert not diff.cancelled

    stopped = ws.corpus_diff(ws.rules(), _without(ws, "person-after-title"), cancelled=lambda: True)
    assert isinstance(stopped, CorpusDiff)
    assert stopped.cancelled and stopped.checked == 0 and stopped.empty


def test_worker_processes_give_the_same_diff(ws):
    """The parallel path (spawned workers rebuilding the rules from their definitions) agrees
    with the in-process one."""
    before, after = ws.rules(), _without(ws, "person-after-title")
    here = ws.corpus_diff(before, after, workers=0)
    there = ws.corpus_diff(before, after, workers=2)
    assert there.lines == here.lines and there.documents == here.documents
    assert there.ran == here.ran and not there.cancelled
