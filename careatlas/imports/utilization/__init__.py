"""The CMS Medicare utilization importer: claims volumes per practitioner and procedure.

`import_utilization(path, year)` is what the management command runs; `layout` describes
the file (`careatlas.demo.utilization` writes files in it for tests and benchmarks).
"""

from careatlas.imports.utilization.importer import Outcome, import_utilization

__all__ = ["Outcome", "import_utilization"]
