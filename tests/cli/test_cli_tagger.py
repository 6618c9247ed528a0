"""`annotator rules train-tagger`: the tagger trained on the database's annotated documents."""

from __future__ import annotations

from annotator.cli import main
from annotator.core.model import Document
from annotator.workspace import TAGGER_RULE, Workspace

NAMES = ["Ahmad", "Siti", "Rudi", "Dewi", "Hendra", "Rina", "Agus", "Wati"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def annotate(path) -> None:
    with Workspace.open(path, annotator="tester") as ws:
        for d, name in enumerate(NAMES):
            text = f"Menurut {name} , harga beras naik lagi .\nKemarin {name} berkata begitu ."
            (doc_id,) = ws.store.documents.insert(
                [Document(text=text, title=f"d{d}")], annotator="x"
            )
            for at in (text.find(name), text.rfind(name)):
                ws.add_span(doc_id, at, at + len(name), "PERSON")


def test_train_tagger_saves_the_rule_and_says_what_it_learned(capsys, isolated_env, db_path):
    annotate(db_path)
    code, out, _ = run(capsys, "--db", str(db_path), "rules", "train-tagger", "--labels", "PERSON")
    assert code == 0
    assert out.startswith("Train the tagger on 16 spans in 8 documents (PERSON): ")
    code, out, _ = run(capsys, "--db", str(db_path), "rules", "list")
    row = next(line.split() for line in out.splitlines() if line.startswith(TAGGER_RULE))
    assert row[:3] == [TAGGER_RULE, "PERSON", "tagger"]
    with Workspace.open(db_path) as ws:
        (doc_id,) = ws.store.documents.insert(
            [Document(text="Menurut Bambang , harga beras naik lagi .", title="n")], annotator="x"
        )
        ws.suggest(doc_id)
        assert ("Bambang", TAGGER_RULE) in {(s.text, s.rule) for _, s in ws.suggestions(doc_id)}


def test_train_tagger_refuses_clearly_and_changes_nothing(capsys, isolated_env, db_path):
    code, _, err = run(capsys, "--db", str(db_path), "rules", "train-tagger")
    assert code != 0 and "no document is done or has spans yet" in err
    annotate(db_path)
    code, _, err = run(capsys, "--db", str(db_path), "rules", "train-tagger", "--labels", "NOPE")
    assert code != 0 and "unknown label NOPE" in err
    with Workspace.open(db_path) as ws:
        assert TAGGER_RULE not in {r.name for r in ws.rules()}
