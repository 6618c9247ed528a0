"""CoNLL-U from real producers (the ``conllu`` package, a UD treebank) reads to the text and
entities it holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from conllu import parse
from conllu.models import Metadata, Token, TokenList
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.model import Document
from annotator.io.base import Notice, ReadOptions, SourceFile
from annotator.io.readers import read_source

FORMS = st.text(alphabet="abcXYZ.,-'", min_size=1, max_size=6)
LABELS = st.sampled_from(["PER", "LOC", "ORG", "Product_Name"])


@dataclass
class Segment:
    """Tokens of a sentence, an entity when ``label`` is set."""

    forms: list[str]
    glued: list[bool]  # SpaceAfter=No after each token
    label: str | None


segments = st.builds(
    lambda forms, glued, label: Segment(forms, glued[: len(forms)], label),
    st.lists(FORMS, min_size=1, max_size=3),
    st.lists(st.booleans(), min_size=3, max_size=3),
    st.none() | LABELS,
)


def tags(segment: Segment, scheme: str) -> list[str]:
    if segment.label is None:
        return ["O"] * len(segment.forms)
    n, label = len(segment.forms), segment.label
    if scheme == "bioes":
        return (
            [f"S-{label}"] if n == 1 else [f"B-{label}"] + [f"I-{label}"] * (n - 2) + [f"E-{label}"]
        )
    return [f"B-{label}"] + [f"I-{label}"] * (n - 1)


def sentence(segments: list[Segment], scheme: str, with_text: bool, meta: dict) -> tuple:
    """The TokenList, its text and its entities (start, end, label) in that text."""
    tokens, text, entities, number = [], "", [], 0
    for segment in segments:
        start = len(text)
        for form, glued, tag in zip(segment.forms, segment.glued, tags(segment, scheme)):
            number += 1
            misc = {"NE": tag} if tag != "O" else {}
            if glued:
                misc["SpaceAfter"] = "No"
            tokens.append(
                Token(
                    id=number,
                    form=form,
                    lemma="_",
                    upos="X",
                    xpos=None,
                    feats=None,
                    head=0,
                    deprel="dep",
                    deps=None,
                    misc=misc or None,
                )
            )
            end = len(text) + len(form)
            text += form + ("" if glued else " ")
        if segment.label is not None:
            entities.append((start, end, segment.label))
    text = text.rstrip(" ")
    # SpaceAfter=No on a sentence's last token glues it to the next sentence (UD's meaning):
    # the corpus here keeps a line break between sentences, so its last token has none.
    last_misc = tokens[-1]["misc"]
    if last_misc:
        last_misc.pop("SpaceAfter", None)
        tokens[-1]["misc"] = last_misc or None
    metadata = Metadata(meta)
    if with_text:
        metadata["text"] = text
    return TokenList(tokens, metadata=metadata), text, entities


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.lists(segments, min_size=1, max_size=4), min_size=1, max_size=3),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(["iob2", "bioes"]),
    st.booleans(),
)
def test_conllu_package_output_reads_to_its_entities(corpus, scheme: str, with_text: bool) -> None:
    serialized, expected = [], []
    for d, doc in enumerate(corpus):
        texts, entities = [], []
        for s, segs in enumerate(doc):
            meta = {"newdoc id": f"doc-{d}"} if s == 0 else {}
            meta["sent_id"] = f"{d}-{s}"
            tokenlist, text, found = sentence(segs, scheme, with_text, meta)
            offset = sum(len(t) + 1 for t in texts)
            entities += [(offset + a, offset + b, label) for a, b, label in found]
            texts.append(text)
            serialized.append(tokenlist.serialize())
        expected.append((f"doc-{d}", "\n".join(texts), entities))
    data = "".join(serialized).encode()
    items = list(read_source(SourceFile("made.conllu", data), options=ReadOptions()))
    got = [
        (d.uid, d.text, [(s.start, s.end, s.label) for s in d.spans])
        for d in items
        if isinstance(d, Document)
    ]
    assert got == expected


def test_conllu_package_multiword_token() -> None:
    tokens = [
        Token(
            id=(1, "-", 2),
            form="Ke-AS",
            lemma="_",
            upos="_",
            xpos=None,
            feats=None,
            head=None,
            deprel="_",
            deps=None,
            misc={"NE": "S-LOC", "SpaceAfter": "No"},
        ),
        Token(
            id=1,
            form="Ke",
            lemma="ke",
            upos="ADP",
            xpos=None,
            feats=None,
            head=0,
            deprel="root",
            deps=None,
            misc=None,
        ),
        Token(
            id=2,
            form="AS",
            lemma="AS",
            upos="PROPN",
            xpos=None,
            feats=None,
            head=1,
            deprel="obj",
            deps=None,
            misc=None,
        ),
        Token(
            id=3,
            form="!",
            lemma="!",
            upos="PUNCT",
            xpos=None,
            feats=None,
            head=1,
            deprel="punct",
            deps=None,
            misc=None,
        ),
    ]
    data = TokenList(tokens, metadata=Metadata({"sent_id": "1"})).serialize().encode()
    [doc] = list(read_source(SourceFile("mwt.conllu", data)))
    assert isinstance(doc, Document)
    assert doc.text == "Ke-AS!"
    assert [(s.start, s.end, s.label) for s in doc.spans] == [(0, 5, "LOC")]


UD_HEAD = Path(__file__).resolve().parents[1] / "data" / "conllu" / "ud-id-gsd-test-head.conllu"


def test_real_ud_treebank_text_is_the_text_conllu_parses() -> None:
    raw = UD_HEAD.read_text("utf-8")
    expected = [sentence.metadata["text"] for sentence in parse(raw)]
    items = list(read_source(SourceFile(UD_HEAD.name, raw.encode())))
    [doc] = [i for i in items if isinstance(i, Document)]
    assert doc.text.split("\n") == expected
    assert "berdirinya SMAN 1 Pekanbaru" in doc.text  # multiword token 3-4, parts skipped
    assert doc.spans == ()
    [notice] = [str(i) for i in items if isinstance(i, Notice)]
    assert notice.startswith(f"{UD_HEAD.name}: CoNLL-U: no entity tags (MISC NE=...")


def test_real_ud_treebank_without_text_comments_rebuilds_the_same_text() -> None:
    raw = UD_HEAD.read_text("utf-8")
    stripped = "\n".join(line for line in raw.split("\n") if not line.startswith("# text"))
    expected = [sentence.metadata["text"] for sentence in parse(raw)]
    [doc] = [
        i for i in read_source(SourceFile("x.conllu", stripped.encode())) if isinstance(i, Document)
    ]
    assert doc.text.split("\n") == expected
