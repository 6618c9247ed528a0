"""The suggestion lifecycle and learning, through the workspace on a real database."""

from __future__ import annotations

import json

import pytest

from annotator.core.errors import UsageError
from annotator.core.model import SpanOrigin, SuggestionState
from annotator.rules import parse_rule


@pytest.fixture
def seeded(workspace, seed_path):
    workspace.import_paths([seed_path])
    return workspace


def _pending(ws, doc_id=1):
    return {(s.start, s.end, s.label, s.text): s for _, s in ws.suggestions(doc_id)}


def _find(ws, text, label, doc_id=1):
    return next(s for (_, _, l, t), s in _pending(ws, doc_id).items() if t == text and l == label)


def test_a_new_database_has_the_default_pack(workspace):
    names = {r.name for r in workspace.rules()}
    assert {"countries-iso-id", "quote-attributed", "date-since-year"} <= names
    assert set(workspace.rule_packs().values()) == {"id-news"}


def test_suggest_finds_the_seed_entities_and_rerunning_changes_nothing(seeded):
    assert seeded.needs_suggest(1)
    first = seeded.suggest(1)
    assert first.added > 40 and not seeded.needs_suggest(1)
    found = {(t, l) for (_, _, l, t) in _pending(seeded)}
    for want in [
        ("Sergey Lavrov", "PERSON"),
        ("Amerika Serikat", "LOC"),
        ("Sabtu (24/10)", "DATE"),
        ("Menteri luar negeri", "ROLE"),
        ("Tentara Pembebasan Suriah", "ORG"),
        ("sejak 2011", "DATE"),
    ]:
        assert want in found, want
    quote = _find(seeded, next(t for (_, _, l, t) in _pending(seeded) if l == "QUOTE"), "QUOTE")
    assert quote.text.startswith('"Kami siap') and quote.explanation
    again = seeded.suggest(1)
    assert (again.added, again.kept, again.dropped) == (0, first.added, 0)


def test_accept_makes_a_rule_span_and_it_is_not_suggested_again(seeded):
    seeded.suggest(1)
    sug = _find(seeded, "Sergey Lavrov", "PERSON")
    change = seeded.accept(sug.id)
    assert (change.spans[0].text, change.spans[0].origin, change.spans[0].rule) == (
        "Sergey Lavrov",
        SpanOrigin.RULE,
        sug.rule,
    )
    assert change.spans[0].rule_version == sug.rule_version
    seeded.suggest(1)
    assert ("Sergey Lavrov", "PERSON") not in {(t, l) for (_, _, l, t) in _pending(seeded)}
    assert len([s for s in seeded.document(1).spans if s.text == "Sergey Lavrov"]) == 1
    with pytest.raises(UsageError, match="already accepted"):
        seeded.accept(sug.id)


def test_a_rejected_suggestion_stays_rejected_when_the_rules_run_again(seeded):
    seeded.suggest(1)
    sug = _find(seeded, "Mesir", "LOC")
    seeded.reject(sug.id)
    for _ in range(2):
        seeded.suggest(1)
        assert ("Mesir", "LOC") not in {(t, l) for (_, _, l, t) in _pending(seeded)}
    rejected = seeded.suggestions(1, states=["rejected"])
    assert [(s.text, s.state) for _, s in rejected] == [("Mesir", SuggestionState.REJECTED)]


def test_correcting_label_or_boundaries_makes_a_span_and_marks_it_corrected(seeded):
    seeded.suggest(1)
    role = _find(seeded, "Menteri luar negeri", "ROLE")
    change = seeded.correct(role.id, label="PERSON")
    assert (change.spans[0].label, change.spans[0].text) == ("PERSON", "Menteri luar negeri")
    assert change.spans[0].attributes["corrected_from"]["label"] == "ROLE"
    quote = next(s for s in _pending(seeded).values() if s.label == "QUOTE")
    change = seeded.correct(quote.id, start=quote.start + 1, end=quote.end - 2)
    assert change.spans[0].text == quote.text[1:-2]
    states = {s.id: s.state for _, s in seeded.suggestions(1, states=["corrected"])}
    assert states == {role.id: SuggestionState.CORRECTED, quote.id: SuggestionState.CORRECTED}
    with pytest.raises(UsageError, match="out of range"):
        seeded.correct(_find(seeded, "Mesir", "LOC").id, start=5, end=2)


def test_disabling_a_rule_drops_its_pending_suggestions_and_enabling_brings_them_back(seeded):
    seeded.suggest(1)
    before = [s for s in _pending(seeded).values() if s.rule == "countries-iso-id"]
    assert before
    seeded.set_rule_enabled("countries-iso-id", False)
    assert seeded.needs_suggest(1)
    report = seeded.suggest(1)
    assert report.dropped >= len(before)
    assert not [s for s in _pending(seeded).values() if s.rule == "countries-iso-id"]
    seeded.set_rule_enabled("countries-iso-id", True)
    seeded.suggest(1)
    after = [s for s in _pending(seeded).values() if s.rule == "countries-iso-id"]
    assert {s.text for s in after} == {s.text for s in before}
    assert all(s.rule_version == seeded.rule("countries-iso-id").version for s in after)


def test_an_edited_rule_re_suggests_with_its_new_version(seeded):
    seeded.suggest(1)
    rule = seeded.rule("regions-id") if "regions-id" in {r.name for r in seeded.rules()} else None
    assert rule is not None
    edited = parse_rule(
        {
            **json.loads(json.dumps(_dump(rule))),
            "version": rule.version + 1,
            "pattern": {"terms": ["Timur Tengah", "Moskow"]},
        },
        source="test",
    )
    seeded.save_rule(edited)
    seeded.suggest(1)
    mine = {(s.text, s.rule_version) for s in _pending(seeded).values() if s.rule == "regions-id"}
    assert mine == {("Timur Tengah", rule.version + 1)}


def _dump(rule):
    from annotator.rules import dump_rule

    return dump_rule(rule, inline_terms=True)


def test_reject_everywhere_stores_a_visible_removable_exception(seeded, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Delegasi Mesir tiba di Kairo. Mesir menolak usulan itu.", encoding="utf-8")
    seeded.import_paths([other])
    seeded.suggest_corpus()
    sug = _find(seeded, "Mesir", "LOC")
    seeded.reject(sug.id, everywhere=True)
    rule = seeded.rule(sug.rule)
    assert "Mesir" in rule.exceptions and rule.version > sug.rule_version
    seeded.suggest_corpus()
    assert ("Mesir", "LOC") not in {(t, l) for (_, _, l, t) in _pending(seeded, 2)}
    seeded.remove_exception(sug.rule, "Mesir")
    seeded.suggest_corpus()
    assert [t for (_, _, l, t) in _pending(seeded, 2) if l == "LOC"].count("Mesir") == 2


def test_remember_learns_a_term_as_a_visible_rule_for_every_document(seeded, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Juru bicara Kremlin Dmitry Peskov menolak berkomentar.", encoding="utf-8")
    seeded.import_paths([other])
    span = seeded.add_span(1, *_range(seeded, "laman Al Jazeera", "laman"), "ORG").spans[0]
    assert span.text == "laman"
    kremlin = seeded.add_span(2, 12, 19, "ORG").spans[0]
    assert kremlin.text == "Kremlin"
    seeded.remember(kremlin.id)
    learned = seeded.rule("learned-ORG")
    assert [t for t in learned.pattern["terms"]] == ["Kremlin"]
    third = tmp_path / "third.txt"
    third.write_text("Kremlin membantah laporan itu.", encoding="utf-8")
    seeded.import_paths([third])
    seeded.suggest(3)
    assert [(s.text, s.rule) for s in _pending(seeded, 3).values() if s.label == "ORG"] == [
        ("Kremlin", "learned-ORG")
    ]
    seeded.remove_learned_term("ORG", "Kremlin")
    seeded.suggest(3)
    assert not [s for s in _pending(seeded, 3).values() if s.rule == "learned-ORG"]


def _range(ws, context, word):
    text = ws.document(1).text
    start = text.index(context) + context.index(word)
    return start, start + len(word)


def test_statistics_count_decisions_and_flag_a_bad_rule(seeded, tmp_path):
    lines = [f"Warga Mesir nomor {i} datang." for i in range(25)]
    for i, line in enumerate(lines):
        (tmp_path / f"{i}.txt").write_text(line, encoding="utf-8")
    seeded.import_paths([tmp_path])
    seeded.suggest_corpus()
    mesir = [s for _, s in seeded.suggestions() if s.text == "Mesir"]
    for sug in mesir[:5]:
        seeded.accept(sug.id)
    for sug in mesir[5:21]:
        seeded.reject(sug.id)
    stats = seeded.rule_statistics()[mesir[0].rule]
    assert (stats.accepted, stats.rejected) == (5, 16)
    assert stats.precision == pytest.approx(5 / 21)
    assert stats.flagged
    assert not seeded.rule_statistics()["date-since-year"].flagged


def test_bad_rule_packs_are_reported_and_the_good_rules_load(workspace, tmp_path):
    pack = tmp_path / "pack.jsonl"
    pack.write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "name": "ok",
                        "label": "LOC",
                        "kind": "phrase",
                        "pattern": {"terms": ["Bandung"]},
                    }
                ),
                "{not json",
                json.dumps(
                    {
                        "name": "bad-regex",
                        "label": "DATE",
                        "kind": "regex",
                        "pattern": {"regex": "(tahun \\d+"},
                    }
                ),
                json.dumps(
                    {
                        "name": "bad-label",
                        "label": "EVENTO",
                        "kind": "phrase",
                        "pattern": {"terms": ["x"]},
                    }
                ),
                json.dumps(
                    {
                        "name": "bad-key",
                        "label": "LOC",
                        "kind": "phrase",
                        "pattern": {"terms": ["x"]},
                        "colour": 1,
                    }
                ),
                json.dumps(
                    {
                        "name": "bad-token",
                        "label": "LOC",
                        "kind": "token",
                        "pattern": {"tokens": [{"SIZE": 3}]},
                    }
                ),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    loaded = workspace.import_rules(pack)
    assert (loaded.added, len(loaded.problems)) == (1, 5)
    by_line = {p.line: p.reason for p in loaded.problems}
    assert set(by_line) == {2, 3, 4, 5, 6}
    assert "position" in by_line[3]
    assert "EVENTO" in by_line[4]
    assert "colour" in by_line[5]
    assert "SIZE" in by_line[6]
    assert all(p.file == str(pack) for p in loaded.problems)
    assert "ok" in {r.name for r in workspace.rules()}


def test_rules_export_then_import_gives_the_same_rules(workspace, tmp_path):
    rules = {r.name: r for r in workspace.rules()}
    out = workspace.export_rules(tmp_path / "all.jsonl")
    other = tmp_path / "other.sqlite"
    from annotator.workspace import Workspace

    with Workspace.open(other) as second:
        for rule in second.rules():
            second.set_rule_enabled(rule.name, False)
        second.import_rules(out)
        assert {r.name: r for r in second.rules()} == rules


def test_export_with_suggestions_shows_their_state(seeded, tmp_path):
    seeded.suggest(1)
    seeded.reject(_find(seeded, "Mesir", "LOC").id)
    seeded.accept(_find(seeded, "Iran", "LOC").id)
    out = tmp_path / "out.jsonl"
    seeded.export("jsonl", out, include_suggestions=True)
    record = json.loads(out.read_text(encoding="utf-8"))
    states = {(s["text"], s["status"]) for s in record["suggestions"]}
    assert ("Mesir", "rejected") in states and ("Iran", "accepted") in states
    assert ("Rusia", "pending") in states
    assert all(s["rule"] for s in record["suggestions"])
    iran = next(s for s in record["spans"] if s["text"] == "Iran")
    assert (iran["origin"], iran["rule"]) == ("rule", _find_rule(record, "Iran"))


def _find_rule(record, text):
    return next(s["rule"] for s in record["suggestions"] if s["text"] == text)


def test_preview_an_unsaved_rule_stores_nothing(seeded):
    before = seeded.store.counts()
    result = seeded.preview_rule(
        {
            "name": "try",
            "label": "ORG",
            "kind": "phrase",
            "pattern": {"terms": ["Al Jazeera", "Reuters"]},
        },
        1,
    )
    assert [(m.text, m.rule) for m in result.matches] == [("Reuters", "try"), ("Al Jazeera", "try")]
    assert seeded.store.counts() == before and "try" not in {r.name for r in seeded.rules()}


def test_corpus_run_reports_progress_and_can_be_cancelled(seeded, tmp_path):
    for i in range(4):
        (tmp_path / f"{i}.txt").write_text(f"Berita {i} dari Jakarta.", encoding="utf-8")
    seeded.import_paths([tmp_path])
    seen = []
    report = seeded.suggest_corpus(progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (5, 5) and report.documents == 5
    assert all(not seeded.needs_suggest(d.id) for d in seeded.documents())
    seeded.set_rule_enabled("cities-id", False)
    calls = iter(range(100))
    report = seeded.suggest_corpus(cancelled=lambda: next(calls) >= 2)
    assert report.cancelled and report.documents == 2
    assert [seeded.needs_suggest(d.id) for d in seeded.documents()] == [
        False,
        False,
        True,
        True,
        True,
    ]
