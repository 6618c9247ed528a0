"""UIMA CAS XMI and JSON import: real INCEpTION and dkpro-cassis samples, our export, bad input."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from cassis import Cas, TypeSystem

from annotator.core.errors import Problem
from annotator.core.model import Document, Span
from annotator.io.base import ExportOptions, Notice, SourceFile
from annotator.io.collect import collect, count_sources
from annotator.io.readers import detect_format, read_source
from annotator.io.writers.xmi import NAMED_ENTITY, dkpro_typesystem
from annotator.io.writers.xmi import write as write_xmi

DATA = Path(__file__).resolve().parents[1] / "data"
SMILEYS = DATA / "uima-xmi" / "cassis-smileys-ner"
RELATION = DATA / "uima-xmi" / "inception-relation-simple"
SMALL = DATA / "uima-xmi" / "cassis-small"
EMOJI_JSON = DATA / "uima-json" / "casWithEmojiUnicodeTextAndAnnotations"
EMOJI_TEXT = "🥳 This 👳🏻\u200d♀️ is ✆ a 🧔🏾\u200d♂️ test 👻"


def read_folder(*paths: Path) -> list:
    items: list = []
    for source in collect(list(paths)):
        items.extend(read_source(source) if isinstance(source, SourceFile) else [source])
    return items


def docs(items: list) -> list[Document]:
    found = [i for i in items if isinstance(i, Document)]
    for doc in found:
        for span in doc.spans:
            assert doc.text[span.start : span.end] == span.text
    return found


def notices(items: list) -> list[str]:
    return [i.message for i in items if isinstance(i, Notice)]


def problems(items: list) -> list[Problem]:
    return [i for i in items if isinstance(i, Problem)]


def triples(doc: Document) -> list[tuple[int, int, str, str]]:
    return [(s.start, s.end, s.label, s.text) for s in doc.spans]


# -- real samples -------------------------------------------------------------------------------


def test_inception_named_entities_over_emoji_get_code_point_offsets() -> None:
    # The XMI says 3-15 for the first entity (UTF-16: the hugging-face emoji counts twice).
    items = read_folder(SMILEYS)
    [doc] = docs(items)
    assert problems(items) == [] and notices(items) == []  # tokens, sentences, metadata: quiet
    assert doc.text.startswith("🤗 Transformers provides thousands of pretrained models")
    assert (len(doc.text), len(doc.text.encode("utf-16-le")) // 2) == (836, 839)  # 3 emoji
    assert triples(doc) == [
        (2, 14, "OTH", "Transformers"),
        (284, 296, "OTH", "Transformers"),
        (613, 625, "OTH", "Transformers"),
        (685, 692, "OTH", "PyTorch"),
        (697, 707, "OTH", "TensorFlow"),
    ]
    assert (doc.title, doc.uid, doc.language) == ("huggingface.txt", "huggingface.txt", None)
    assert doc.metadata["format"] == "xmi"
    assert doc.metadata["document_uri"].endswith("/document/3191/source/huggingface.txt")
    assert all(dict(s.attributes) == {} for s in doc.spans)


def test_inception_custom_span_layer_with_crlf_text() -> None:
    items = read_folder(RELATION)
    [doc] = docs(items)
    assert problems(items) == []
    assert doc.text == "Darmstadt is in Hessen.\r\nHannover is in Lower Saxony."
    assert triples(doc) == [
        (0, 9, "city", "Darmstadt"),
        (16, 22, "state", "Hessen"),
        (25, 33, "city", "Hannover"),
        (40, 52, "state", "Lower Saxony"),
    ]
    assert {s.attributes["layer"] for s in doc.spans} == {"webanno.custom.MyRelationBase"}
    assert (doc.title, doc.uid) == ("relation_test.txt", "relation_test.txt")
    # The relation layer (Governor/Dependent) is not a span: said, not silently dropped.
    assert notices(items) == ["UIMA XMI: skipped annotations of other layers (MyRelationLayer 1)"]


def test_cassis_small_custom_types_give_the_text_only() -> None:
    # small_typesystem.xml is the only .xml beside it, so it is taken as the type system.
    items = read_folder(SMALL)
    [doc] = docs(items)
    assert doc.text == "Joe waited for the train . The train was late ."
    assert (doc.spans, doc.title, doc.uid) == ((), "small_cas", None)
    assert notices(items) == [
        "UIMA XMI: skipped annotations of other layers (Sentence 2, Token 11)"
    ]


def test_uima_json_sample() -> None:
    source = SourceFile("data.json", (EMOJI_JSON / "data.json").read_bytes())
    assert detect_format(source) == "uima-json"
    items = list(read_source(source))
    [doc] = docs(items)
    assert doc.text == EMOJI_TEXT
    assert doc.spans == ()  # plain uima.tcas.Annotation carries no label
    assert doc.metadata["format"] == "uima-json"
    assert notices(items) == ["UIMA JSON: skipped annotations of other layers (Annotation 9)"]


def test_uima_json_folder_with_its_xmi_twin() -> None:
    items = read_folder(EMOJI_JSON)
    found = docs(items)
    assert [(d.title, d.metadata["format"], d.text) for d in found] == [
        ("data", "uima-json", EMOJI_TEXT),
        ("debug", "xmi", EMOJI_TEXT),
    ]
    assert problems(items) == []
    # debug-typesystem.xml went with debug.xmi and is not reported as a skipped file
    assert not any("debug-typesystem" in str(i) for i in items)


# -- collecting the type system ----------------------------------------------------------------


def test_folder_attaches_typesystem_and_does_not_report_it() -> None:
    found = list(collect([RELATION]))
    assert [type(s) for s in found] == [SourceFile]
    assert found[0].companions == {".typesystem": (RELATION / "TypeSystem.xml").read_bytes()}
    assert count_sources([RELATION]) == 1


def test_typesystem_name_is_case_insensitive_and_preferred(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    shutil.copy(RELATION / "relation_test.xmi", folder / "a.xmi")
    shutil.copy(RELATION / "TypeSystem.xml", folder / "typesystem.XML")
    (folder / "notes.xml").write_text("<notes/>")
    items = read_folder(folder)
    assert [d.title for d in docs(items)] == ["relation_test.txt"]
    assert [str(i) for i in items if isinstance(i, Notice) and "not a document" in i.message] == [
        f"{folder / 'notes.xml'}: skipped: not a document format"
    ]


def test_explicit_xmi_file_gets_the_typesystem_beside_it() -> None:
    [source] = list(collect([SMILEYS / "cas_with_smileys.xmi"]))
    assert isinstance(source, SourceFile)
    assert ".typesystem" in source.companions
    assert len(docs(list(read_source(source)))[0].spans) == 5


def test_zip_attaches_typesystem(tmp_path: Path) -> None:
    archive = tmp_path / "inception.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(RELATION / "relation_test.xmi", "curation/relation_test.xmi")
        z.write(RELATION / "TypeSystem.xml", "curation/TypeSystem.xml")
        z.write(SMILEYS / "cas_with_smileys.xmi", "other/cas_with_smileys.xmi")
    items = read_folder(archive)
    assert [(d.source, len(d.spans)) for d in docs(items)] == [
        (f"{archive}!curation/relation_test.xmi", 4)
    ]
    [problem] = problems(items)
    assert problem.file == f"{archive}!other/cas_with_smileys.xmi"
    assert "needs its TypeSystem.xml beside it" in problem.reason
    assert not any("TypeSystem.xml" in str(i) for i in items if isinstance(i, Notice))


# -- refused input -----------------------------------------------------------------------------


def test_missing_typesystem_is_a_problem(tmp_path: Path) -> None:
    lone = tmp_path / "relation_test.xmi"
    shutil.copy(RELATION / "relation_test.xmi", lone)
    items = read_folder(tmp_path)
    assert docs(items) == []
    [problem] = problems(items)
    assert problem.reason == (
        "UIMA XMI: needs its TypeSystem.xml beside it (it uses the type "
        "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData, "
        "which is not built into UIMA)"
    )


def test_xmi_of_built_in_types_needs_no_typesystem() -> None:
    items = list(read_source(SourceFile("debug.xmi", (EMOJI_JSON / "debug.xmi").read_bytes())))
    assert [d.text for d in docs(items)] == [EMOJI_TEXT]


def test_type_missing_from_the_given_typesystem(tmp_path: Path) -> None:
    source = SourceFile(
        "x.xmi",
        (RELATION / "relation_test.xmi").read_bytes(),
        {".typesystem": (SMALL / "small_typesystem.xml").read_bytes()},
    )
    [problem] = list(read_source(source))
    assert isinstance(problem, Problem)
    assert problem.reason == (
        "UIMA XMI: the type de.tudarmstadt.ukp.dkpro.core.api.metadata.type."
        "DocumentMetaData is not in its type system"
    )


@pytest.mark.parametrize(
    ("data", "companions", "expected"),
    [
        (b"<xmi:XMI xmlns:xmi='http://www.omg.org/XMI'", {}, "not a readable UIMA CAS XMI file: "),
        (
            b"\x00\x01binary",
            {},
            "not a readable UIMA CAS XMI file: it does not declare the XMI namespace",
        ),
        (b"<xmi/>", {}, "not a readable UIMA CAS XMI file: it does not declare the XMI namespace"),
        (
            b'<xmi:XMI xmlns:xmi="http://www.omg.org/XMI"><cas:Sofa/></xmi:XMI>',
            {},
            "not a readable UIMA CAS XMI file: it has an element outside any UIMA type namespace",
        ),
        (b'<xmi:XMI xmlns:xmi="http://www.omg.org/XMI"', {}, "not a readable UIMA CAS XMI file: "),
        (b"", {}, "not a readable UIMA CAS XMI file: "),
        (
            (RELATION / "relation_test.xmi").read_bytes(),
            {".typesystem": b"<typeSystemDescription"},
            "UIMA XMI: its type system cannot be read: ",
        ),
    ],
)
def test_unparsable_xmi_is_a_problem(data: bytes, companions: dict, expected: str) -> None:
    [problem] = list(read_source(SourceFile("bad.xmi", data, companions)))
    assert isinstance(problem, Problem) and problem.file == "bad.xmi"
    assert problem.reason.startswith(expected), problem.reason


def test_xmi_without_text_is_a_problem() -> None:
    cas = Cas(typesystem=dkpro_typesystem())
    cas.sofa_string = ""
    [problem] = list(read_source(SourceFile("empty.xmi", cas.to_xmi().encode())))
    assert isinstance(problem, Problem)
    assert problem.reason == "UIMA XMI: the document has no text (its sofa is empty)"


def test_unparsable_uima_json_is_a_problem() -> None:
    [problem] = list(
        read_source(SourceFile("x.json", b'{"%TYPES": {}, "%FEATURE_STRUCTURES": [ {'), "uima-json")
    )
    assert isinstance(problem, Problem)
    assert problem.reason.startswith("not a readable UIMA CAS JSON file: ")


def test_bad_annotations_are_skipped_with_a_notice() -> None:
    # "a😀b": UTF-16 offsets a=0, 😀=1..3, b=3..4. Begin 2 falls inside the emoji.
    ts = dkpro_typesystem()
    xmi = _xmi_with_entities(
        ts, "a😀b", [(0, 4, "OK"), (2, 4, "HALF"), (3, 3, "EMPTY"), (0, 9, "LONG")]
    )
    items = list(read_source(SourceFile("d.xmi", xmi, {".typesystem": ts.to_xml().encode()})))
    [doc] = docs(items)
    assert triples(doc) == [(0, 3, "OK", "a😀b")]
    assert notices(items) == [
        (
            "UIMA XMI: skipped 3 annotation(s): "
            "LONG at UTF-16 offsets [0, 9): not on a character of the text; "
            "EMPTY [2, 2): zero-width; "
            "HALF at UTF-16 offsets [2, 4): not on a character of the text"
        )
    ]


def _xmi_with_entities(ts: TypeSystem, text: str, entities: list[tuple[int, int, str]]) -> bytes:
    """An XMI whose NamedEntity offsets are written as given (UTF-16 units), valid or not."""
    cas = Cas(typesystem=ts)
    cas.sofa_string = text
    entity = ts.get_type(NAMED_ENTITY)
    cas.add_all([entity(begin=0, end=1, value=f"@{i}") for i in range(len(entities))])
    xmi = cas.to_xmi()
    for i, (begin, end, label) in enumerate(entities):
        xmi = xmi.replace(
            f'begin="0" end="1" value="@{i}"', f'begin="{begin}" end="{end}" value="{label}"'
        )
    return xmi.encode()


def test_layers_and_labels(tmp_path: Path) -> None:
    ts = dkpro_typesystem()
    person = ts.create_type(
        "de.tudarmstadt.ukp.dkpro.core.api.ner.type.Person", supertypeName=NAMED_ENTITY
    )
    claim = ts.create_type("webanno.custom.Claim")
    ts.create_feature(claim, "stance", "uima.cas.String")
    ts.create_feature(claim, "score", "uima.cas.Integer")
    marker = ts.create_type("webanno.custom.Marker")
    link = ts.create_type("webanno.custom.CorefLink")
    ts.create_feature(link, "next", "webanno.custom.CorefLink")
    ts.create_feature(link, "referenceType", "uima.cas.String")
    pos = ts.create_type("de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS")
    ts.create_feature(pos, "PosValue", "uima.cas.String")
    text = "Jokowi berkata: Jakarta banjir."
    cas = Cas(typesystem=ts)
    cas.sofa_string = text
    cas.add_all(
        [
            person(begin=0, end=6),
            person(begin=0, end=6, value="PER", identifier="Q3"),
            ts.get_type(NAMED_ENTITY)(begin=16, end=23, value=" LOC "),
            claim(begin=16, end=30, stance="pro", score=3),
            claim(begin=7, end=14),
            marker(begin=24, end=30),
            link(begin=0, end=6, referenceType="PRON"),
            pos(begin=0, end=6, PosValue="PROPN"),
        ]
    )
    folder = tmp_path / "x"
    folder.mkdir()
    cas.to_xmi(folder / "doc.xmi")
    ts.to_xml(folder / "TypeSystem.xml")
    items = read_folder(folder)
    [doc] = docs(items)
    assert [(s.start, s.end, s.label, dict(s.attributes)) for s in doc.spans] == [
        (
            0,
            6,
            "PER",
            {"identifier": "Q3", "layer": "de.tudarmstadt.ukp.dkpro.core.api.ner.type.Person"},
        ),
        (0, 6, "Person", {"layer": "de.tudarmstadt.ukp.dkpro.core.api.ner.type.Person"}),
        (7, 14, "Claim", {"layer": "webanno.custom.Claim"}),
        (16, 30, "pro", {"score": 3, "layer": "webanno.custom.Claim"}),
        (16, 23, "LOC", {}),
        (24, 30, "Marker", {"layer": "webanno.custom.Marker"}),
    ]
    assert notices(items) == ["UIMA XMI: skipped annotations of other layers (CorefLink 1, POS 1)"]


def test_duplicate_annotations_are_dropped_with_a_notice() -> None:
    ts = dkpro_typesystem()
    xmi = _xmi_with_entities(ts, "Solo", [(0, 4, "LOC"), (0, 4, "LOC")])
    items = list(read_source(SourceFile("d.xmi", xmi, {".typesystem": ts.to_xml().encode()})))
    assert triples(docs(items)[0]) == [(0, 4, "LOC", "Solo")]
    assert notices(items) == ["UIMA XMI: dropped 1 duplicate span(s)"]


# -- detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("x.xmi", b"<xmi/>", "xmi"),
        ("x.XMI", b"", "xmi"),
        ("cas.json", b'{\n  "%TYPES" : { },\n  "%FEATURE_STRUCTURES" : [', "uima-json"),
        ("tasks.json", b'[{"text": "%TYPES"}]', "jsonl"),
        ("a.json", b'{"text": "x", "spans": []}', "jsonl"),
        (
            "cas.xml",
            b'<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore">',
            "xmi",
        ),
        ("TypeSystem.xml", b"<typeSystemDescription/>", "XML (e.g. a UIMA type system)"),
    ],
)
def test_detect(name: str, data: bytes, expected: str) -> None:
    assert detect_format(SourceFile(name, data)) == expected


# -- our own export comes back -----------------------------------------------------------------


def _span(text: str, part: str, label: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return Span(start, start + len(part), label, part)


def test_round_trip_of_our_own_export(tmp_path: Path) -> None:
    first = (
        "Presiden 😀 Joko Widodo 👩\u200d👩\u200d👧 bertemu\r\n"
        "Putin di Moskow.\r\n東京 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 e\u0301x."
    )
    second = "Menteri luar negeri Retno Marsudi.\n"
    originals = [
        Document(
            text=first,
            uid="rusia-1",
            title="Rusia 😀 & <Moskow>",
            spans=(
                _span(first, "Presiden 😀 Joko Widodo", "ROLE"),
                _span(first, "Joko Widodo", "PERSON"),
                _span(first, "Joko Widodo", "QUOTE"),
                _span(first, "👩\u200d👩\u200d👧 bertemu\r\nPutin", "QUOTE"),
                _span(first, "Moskow", "LOC"),
                _span(first, "東京", "LOC"),
                _span(first, "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ORG"),
                _span(first, "e\u0301x", "MISC"),
            ),
        ),
        Document(
            text=second,
            uid="d2",
            title="Retno",
            spans=(
                _span(second, "Menteri luar negeri", "ROLE"),
                _span(second, "Retno Marsudi", "PERSON"),
                _span(second, "Menteri luar negeri Retno Marsudi", "QUOTE"),
            ),
        ),
        Document(text="Tanpa entitas.", uid="d3", title="Kosong"),
    ]
    out = tmp_path / "export"
    write_xmi(iter(originals), [], out, ExportOptions())
    items = read_folder(out)
    assert problems(items) == [] and notices(items) == []
    back = {d.uid: d for d in docs(items)}
    assert set(back) == {"rusia-1", "d2", "d3"}
    for original in originals:
        doc = back[original.uid]
        assert doc.text == original.text
        assert doc.title == original.title
        assert {s.key for s in doc.spans} == {s.key for s in original.spans}
        assert all(dict(s.attributes) == {} for s in doc.spans)


def test_uima_json_with_types_inside_and_a_bad_offset() -> None:
    ts = dkpro_typesystem()
    cas = Cas(typesystem=ts)
    cas.sofa_string = "a😀b Solo"
    entity = ts.get_type(NAMED_ENTITY)
    cas.add_all(
        [
            entity(begin=0, end=3, value="OK"),
            entity(begin=4, end=8, value="LOC"),
            entity(begin=1, end=3, value="HALF"),
        ]
    )
    data = cas.to_json().replace('"begin": 1, "end": 4', '"begin": 2, "end": 4')  # inside the emoji
    assert '"begin": 2, "end": 4' in data
    items = list(read_source(SourceFile("cas.json", data.encode())))
    [doc] = docs(items)
    assert (doc.text, triples(doc)) == ("a😀b Solo", [(0, 3, "OK", "a😀b"), (4, 8, "LOC", "Solo")])
    assert notices(items) == [
        (
            "UIMA JSON: skipped 1 annotation(s): "
            "HALF at UTF-16 offsets [2, 4): not on a character of the text"
        )
    ]
