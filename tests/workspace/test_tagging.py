"""Train the tagger on my spans: the done or annotated documents, one undo step saving the rule,
its suggestions named after it, counted in its precision, its exceptions kept on retraining."""

from __future__ import annotations

import pytest

from annotator.core.change import Operation
from annotator.core.errors import UsageError
from annotator.core.model import Document
from annotator.workspace import TAGGER_RULE, Workspace

PEOPLE = ["Ahmad", "Siti", "Rudi", "Dewi", "Hendra", "Rina", "Agus", "Wati", "Bayu", "Lina"]
CITIES = ["Bandung", "Medan", "Surabaya", "Makassar", "Padang", "Malang", "Bogor", "Solo"]
TEMPLATES = [
    "Menurut {p} , harga beras di {c} naik lagi pekan ini .",
    "Warga {c} menyambut kedatangan {p} dengan gembira .",
    "Kemarin {p} berkata bahwa jalan di {c} rusak parah .",
]
UNSEEN = "Menurut Bambang , harga cabai di Tanjungwangi naik lagi pekan ini ."


def annotated(ws: Workspace, documents: int) -> list[int]:
    """Documents with every person and city marked by hand, the first ones marked done."""
    ids = []
    for d in range(documents):
        lines = [
            t.format(p=PEOPLE[(d + k) % len(PEOPLE)], c=CITIES[(d * 3 + k) % len(CITIES)])
            for k, t in enumerate(TEMPLATES)
        ]
        text = "\n".join(lines)
        (doc_id,) = ws.store.documents.insert([Document(text=text, title=f"d{d}")], annotator="x")
        for names, label in ((PEOPLE, "PERSON"), (CITIES, "LOC")):
            for name in names:
                at = text.find(name)
                while at != -1:
                    ws.add_span(doc_id, at, at + len(name), label)
                    at = text.find(name, at + 1)
        ws.set_status(doc_id, "done")
        ids.append(doc_id)
    return ids


@pytest.fixture
def unseen(workspace):
    (doc_id,) = workspace.store.documents.insert(
        [Document(text=UNSEEN, title="new")], annotator="x"
    )
    return doc_id


def _tagger_suggestions(ws: Workspace, doc_id: int) -> dict[str, int]:
    ws.suggest(doc_id)
    return {s.text: s.id for _, s in ws.suggestions(doc_id) if s.rule == TAGGER_RULE}


def test_training_saves_one_undoable_rule_whose_suggestions_count_in_its_precision(
    workspace, unseen
):
    annotated(workspace, 10)
    training = workspace.train_tagger()
    assert training.documents == 10 and training.spans == 60
    assert set(training.labels) == {"PERSON", "LOC"}
    assert TAGGER_RULE not in {r.name for r in workspace.rules()}  # not stored before saving
    change = workspace.save_tagger(training)
    assert change.operation == Operation.TRAIN_TAGGER and change.rules == (TAGGER_RULE,)
    assert workspace.undo_description() == change.description
    found = _tagger_suggestions(workspace, unseen)
    assert {"Bambang", "Tanjungwangi"} <= set(found)
    workspace.accept(found["Bambang"])
    workspace.reject(found["Tanjungwangi"])
    stats = workspace.rule_statistics()[TAGGER_RULE]
    assert (stats.accepted, stats.rejected, stats.precision) == (1, 1, 0.5)
    workspace.undo()  # the reject
    workspace.undo()  # the accept
    workspace.undo()  # the training
    assert TAGGER_RULE not in {r.name for r in workspace.rules()}


def test_the_model_round_trips_through_the_database_and_a_pack(workspace, unseen, tmp_path):
    annotated(workspace, 8)
    training = workspace.train_tagger(["PERSON"])
    workspace.save_tagger(training)
    stored = workspace.rule(TAGGER_RULE)
    assert stored.pattern == training.rule.pattern and stored.labels() == {"PERSON"}
    path = workspace.export_rules(tmp_path / "mine.jsonl", [TAGGER_RULE])
    with Workspace.open(tmp_path / "other.sqlite", annotator="b") as other:
        report = other.import_rules(path)
        assert report.problems == [] and other.rule(TAGGER_RULE).pattern == stored.pattern
        (doc_id,) = other.store.documents.insert([Document(text=UNSEEN, title="n")], annotator="x")
        assert "Bambang" in _tagger_suggestions(other, doc_id)


def test_retraining_keeps_the_exceptions_and_the_switch(workspace, unseen):
    annotated(workspace, 8)
    workspace.save_tagger(workspace.train_tagger())
    found = _tagger_suggestions(workspace, unseen)
    workspace.reject(found["Tanjungwangi"], everywhere=True)
    workspace.set_rule_enabled(TAGGER_RULE, False)
    assert _tagger_suggestions(workspace, unseen) == {}
    version = workspace.rule(TAGGER_RULE).version
    workspace.save_tagger(workspace.train_tagger())
    again = workspace.rule(TAGGER_RULE)
    assert (
        again.exceptions == ("Tanjungwangi",) and not again.enabled and again.version == version + 1
    )
    workspace.set_rule_enabled(TAGGER_RULE, True)
    assert set(_tagger_suggestions(workspace, unseen)) == {"Bambang"}


def test_documents_neither_done_nor_annotated_are_not_learned_from(workspace, unseen):
    ids = annotated(workspace, 3)  # and ``unseen``, new and untouched
    assert len(workspace.documents()) == 4
    assert workspace.train_tagger().documents == len(ids)


def test_nothing_to_learn_or_an_unknown_label_is_a_clear_message(workspace, unseen):
    before = workspace.rules()
    with pytest.raises(UsageError, match="no document is done or has spans yet"):
        workspace.train_tagger()
    annotated(workspace, 2)
    with pytest.raises(UsageError, match="unknown label NOPE"):
        workspace.train_tagger(["NOPE"])
    with pytest.raises(UsageError, match="no span labelled ORG"):
        workspace.train_tagger(["ORG"])
    assert workspace.rules() == before
