"""Importers and exporters: files <-> core objects. Never touches the database."""
