"""The NPPES registry import: layout, row checks, batches, the set-based merge.

`importer.import_nppes` is the entry point (used by `manage.py import_nppes`); the design
is in docs/adr/0007-imports.md.
"""
