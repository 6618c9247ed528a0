"""The light reads the window uses agree with the full ones."""

import json


def test_document_for_view_and_summary_match_the_full_document(workspace, tmp_path):
    text = "Presiden Joko Widodo tiba di Surabaya.\r\nLalu ke Bandung 😀."
    path = tmp_path / "d.jsonl"
    path.write_text(
        json.dumps(
            {
                "text": text,
                "spans": [
                    {"start": 9, "end": 20, "label": "PERSON"},
                    {"start": 29, "end": 37, "label": "LOC"},
                ],
            }
        )
        + "\n"
    )
    workspace.import_paths([path])
    doc_id = workspace.documents()[0].id
    workspace.suggest(doc_id)
    full = workspace.document(doc_id)
    head, spans, pending = workspace.document_for_view(doc_id)
    assert head.text == text and head.spans == () and head.title == full.title
    assert [(s.id, s.start, s.end, s.label, s.text, s.origin, s.rule) for s in spans] == [
        (s.id, s.start, s.end, s.label, s.text, str(s.origin), s.rule) for s in full.spans
    ]
    expected = sorted(
        (s.id, s.start, s.end, s.label, s.rule) for s in full.suggestions if s.state == "pending"
    )
    assert sorted((s.id, s.start, s.end, s.label, s.rule) for s in pending) == expected
    summary = workspace.document_summary(doc_id)
    assert summary == next(d for d in workspace.documents() if d.id == doc_id)
    assert summary.spans == 2 and summary.pending_suggestions == len(expected)


def test_delete_label_only_when_nothing_uses_it(workspace, tmp_path):
    import pytest

    from annotator.core.errors import UsageError

    workspace.add_label("EVENT")
    path = tmp_path / "d.jsonl"
    path.write_text(
        json.dumps(
            {"text": "Pemilu 2024 di Jakarta.", "spans": [{"start": 0, "end": 6, "label": "EVENT"}]}
        )
        + "\n"
    )
    workspace.import_paths([path])
    with pytest.raises(UsageError, match="EVENT cannot be deleted: 1 span use"):
        workspace.delete_label("EVENT")
    workspace.add_label("UNUSED")
    workspace.delete_label("UNUSED")
    assert "UNUSED" not in {label.name for label in workspace.labels()}
    assert "EVENT" in {label.name for label in workspace.labels()}
    with pytest.raises(UsageError, match="rule"):
        workspace.delete_label("PERSON")  # the default pack's rules label PERSON


def test_export_filters_by_origin(workspace, tmp_path):
    import pytest

    from annotator.core.errors import UsageError

    path = tmp_path / "d.txt"
    path.write_text("Presiden Joko Widodo tiba di Surabaya pada Senin.\n", encoding="utf-8")
    workspace.import_paths([path])
    doc_id = workspace.documents()[0].id
    workspace.add_span(doc_id, 9, 20, "PERSON")
    workspace.suggest(doc_id)
    loc = next(s for _, s in workspace.suggestions(doc_id) if s.text == "Surabaya")
    workspace.accept(loc.id)
    for origins, expected in (
        (["manual"], {"Joko Widodo"}),
        (["rule"], {"Surabaya"}),
        ([], {"Joko Widodo", "Surabaya"}),
    ):
        out = tmp_path / f"out-{'-'.join(origins) or 'all'}.jsonl"
        workspace.export("jsonl", out, origins=origins)
        record = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
        text = record["text"]
        assert {text[s["start"] : s["end"]] for s in record["spans"]} == expected
    with pytest.raises(UsageError, match="unknown origin"):
        workspace.export("jsonl", tmp_path / "x.jsonl", origins=["robot"])


def test_warm_up_stores_nothing(workspace, seed_path):
    workspace.import_paths([seed_path])
    doc_id = workspace.documents()[0].id
    workspace.suggest(doc_id)
    before = (
        workspace.document_for_view(doc_id)[1:],
        workspace.store.counts(),
        workspace.undo_description(),
        workspace.document_summary(doc_id).status,
    )
    workspace.warm_up(
        doc_id, workspace.suggestions(doc_id)[0][1].id
    )  # a label and an accept, rolled back
    after = (
        workspace.document_for_view(doc_id)[1:],
        workspace.store.counts(),
        workspace.undo_description(),
        workspace.document_summary(doc_id).status,
    )
    assert after == before
    span = workspace.add_span(doc_id, 0, 4, "DATE").spans[
        0
    ]  # and the next real action works as usual
    assert workspace.undo().removed_spans[0].id == span.id
