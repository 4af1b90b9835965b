"""The content pack: guides as version-controlled YAML + Markdown files.

The same text form is used for loading the pack (`pack.loader`), exporting it
(`pack.exporter`), and for guide revisions, so every path that writes a guide shares one
validator. The package itself names only the leaves, so revisions can use the text form
while the loader records revisions.
"""

from careatlas.procedures.pack.errors import ContentError
from careatlas.procedures.pack.text import guide_to_text, parse_guide_text

__all__ = ["ContentError", "guide_to_text", "parse_guide_text"]
