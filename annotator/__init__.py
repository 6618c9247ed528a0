"""annotator: keyboard-first annotation of news articles, with rules that learn."""

__version__ = "0.1.0"
