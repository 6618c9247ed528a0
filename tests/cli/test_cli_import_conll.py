"""``annotator import`` of CoNLL and CoNLL-U: --doc-sentences, --ner-key, and what it reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(isolated_env, db_path) -> str:
    return str(db_path)


def conll(tmp_path: Path, count: int) -> str:
    path = tmp_path / "a.conll"
    path.write_text("".join(f"Kalimat\tO\nke-{i}\tB-NUM\n\n" for i in range(count)), "utf-8")
    return str(path)


def doc_count(capsys, db: str) -> int:
    code, out, _ = run(capsys, "--db", db, "docs")
    assert code == 0
    return len(out.strip().splitlines()) - 1


def test_conll_without_docstart_is_cut_and_the_report_says_so(capsys, db, tmp_path):
    code, out, err = run(capsys, "--db", db, "import", conll(tmp_path, 120))
    assert code == 0, err
    assert "imported 3 documents with 120 spans" in out
    assert "a.conll: no -DOCSTART-: 3 documents of at most 50 sentences;" in out + err
    assert doc_count(capsys, db) == 3


def test_doc_sentences_option(capsys, db, tmp_path):
    code, out, err = run(
        capsys, "--db", db, "import", "--doc-sentences", "40", conll(tmp_path, 120)
    )
    assert code == 0, err
    assert "imported 3 documents with 120 spans" in out
    assert "DOCSTART" not in out + err


@pytest.mark.parametrize("value", ["-1", "x", ""])
def test_doc_sentences_must_be_a_count(capsys, db, tmp_path, value):
    with pytest.raises(SystemExit) as exit_:
        main(["--db", db, "import", "--doc-sentences", value, conll(tmp_path, 2)])
    assert exit_.value.code == 2
    assert "need a whole number of sentences" in capsys.readouterr().err
    assert not Path(db).exists() or doc_count(capsys, db) == 0


def test_ner_key_option_for_conllu(capsys, db, tmp_path):
    path = tmp_path / "ud.conllu"
    path.write_text("1\tBali\tBali\tPROPN\t_\t_\t0\troot\t_\tEntity=S-LOC\n", "utf-8")
    code, out, err = run(capsys, "--db", db, "import", "--ner-key", "Entity", str(path))
    assert code == 0, err
    assert "imported 1 document with 1 span" in out
    code, out, _ = run(capsys, "--db", db, "spans", "1")
    assert "Bali" in out and "LOC" in out


def test_ner_key_refuses_a_key_misc_cannot_hold(capsys, db, tmp_path):
    with pytest.raises(SystemExit):
        main(["--db", db, "import", "--ner-key", "N E", conll(tmp_path, 2)])
    assert "not a CoNLL-U MISC key" in capsys.readouterr().err
