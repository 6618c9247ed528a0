"""The format names live in core (the CLI and the GUI may import core, not io)."""

from annotator.core.formats import EXPORT_FORMATS, IMPORT_FORMATS

__all__ = ["EXPORT_FORMATS", "IMPORT_FORMATS"]
