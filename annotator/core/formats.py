"""Format names, cheap to import (the CLI's --help and --version must not load every reader)."""

IMPORT_FORMATS = (
    "txt",
    "news",
    "html",
    "jsonl",
    "brat",
    "conll",
    "xmi",
    "uima-json",
    "spacy",
    "conllu",
    "webanno",
    "csv",
)
EXPORT_FORMATS = (
    "jsonl",
    "brat",
    "conll",
    "csv",
    "xmi",
    "spacy",
    "sqlite",
    "doccano",
    "doccano-relations",
    "labelstudio",
    "webanno",
    "conllu",
)
