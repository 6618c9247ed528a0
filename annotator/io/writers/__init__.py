"""Exporters: pure functions from core objects to files, one module a format."""

from __future__ import annotations

from annotator.io.base import Writer
from annotator.io.writers import brat, conll, jsonl, spacy_docbin, xmi
from annotator.io.writers import csv as csv_writer

# "sqlite" is not here: the store writes it with SQLite's backup API.
WRITERS: dict[str, Writer] = {
    "jsonl": jsonl.write,
    "brat": brat.write,
    "conll": conll.write,
    "csv": csv_writer.write,
    "xmi": xmi.write,
    "spacy": spacy_docbin.write,
}

__all__ = ["WRITERS"]
