"""Exporters: pure functions from core objects to files, one module a format."""

from __future__ import annotations

from annotator.io.base import RecordWriter, Writer
from annotator.io.writers import (
    brat,
    conll,
    conllu,
    doccano,
    jsonl,
    labelstudio,
    spacy_docbin,
    webanno_tsv,
    xmi,
)
from annotator.io.writers import csv as csv_writer

# "sqlite" is not here: the store writes it with SQLite's backup API.
WRITERS: dict[str, Writer] = {
    "jsonl": jsonl.write,
    "brat": brat.write,
    "conll": conll.write,
    "csv": csv_writer.write,
    "xmi": xmi.write,
    "spacy": spacy_docbin.write,
    "doccano": doccano.write,
    "doccano-relations": doccano.write_relations,
    "labelstudio": labelstudio.write,
    "conllu": conllu.write,
    "webanno": webanno_tsv.write,
}

# Formats written from the store's plain records (the bulk export path); each also has its
# ``write`` for Document objects above, which turns them into records first.
RECORD_WRITERS: dict[str, RecordWriter] = {
    "jsonl": jsonl.write_records,
    "conll": conll.write_records,
    "xmi": xmi.write_records,
    "doccano": doccano.write_records,
    "doccano-relations": doccano.write_relation_records,
    "labelstudio": labelstudio.write_records,
    "conllu": conllu.write_records,
    "webanno": webanno_tsv.write_records,
}

__all__ = ["RECORD_WRITERS", "WRITERS"]
