"""The content pack: guides as version-controlled YAML + Markdown files.

The same text form is used for loading the pack, exporting it, and for guide
revisions, so every path that writes a guide shares one validator.
"""

from careatlas.procedures.pack.errors import ContentError
from careatlas.procedures.pack.exporter import export_pack
from careatlas.procedures.pack.loader import LoadReport, load_pack
from careatlas.procedures.pack.text import guide_to_text, parse_guide_text

__all__ = [
    "ContentError",
    "LoadReport",
    "export_pack",
    "guide_to_text",
    "load_pack",
    "parse_guide_text",
]
