"""Documents: bulk insert on import, summaries, reading one, streaming many for export.

``Documents`` is the part the store offers; each of its jobs lives in its own module, and the
part is composed of them (all share the one ``Database``).
"""

from __future__ import annotations

from annotator.store.database import Database
from annotator.store.document_export import DocumentExport, ExportFilter
from annotator.store.document_import import DocumentImport, text_hash
from annotator.store.document_list import DocumentList, DocumentSummary
from annotator.store.document_reading import DocumentReading
from annotator.store.labels import Labels
from annotator.store.search import Search

__all__ = ["DocumentSummary", "Documents", "ExportFilter", "text_hash"]


class Documents(DocumentImport, DocumentList, DocumentReading, DocumentExport):
    """The documents: bulk insert on import, summaries, reading one, streaming many for export."""

    def __init__(self, db: Database, labels: Labels, search: Search) -> None:
        self.db = db
        self.labels = labels
        self.search = search
