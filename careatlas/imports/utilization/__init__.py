"""The CMS Medicare utilization importer: claims volumes per practitioner and procedure.

`import_utilization(path, year)` is what the management command runs; `layout` describes
the file, `synthetic` writes files in the same layout for tests and benchmarks.
"""

from careatlas.imports.utilization.importer import Outcome, import_utilization

__all__ = ["Outcome", "import_utilization"]
