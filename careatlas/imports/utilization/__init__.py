"""The CMS Medicare utilization source: claims volumes per practitioner and procedure.

`importer.UtilizationImporter` is what `manage.py import_utilization` runs; `layout`
describes the file (`careatlas.demo.utilization` writes files in it for tests and benchmarks).
"""
