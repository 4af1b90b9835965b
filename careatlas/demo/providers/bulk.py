"""Demo rows given as dicts, written through the importers' one bulk insert per database."""

from operator import itemgetter

from django.db import connection, models

from careatlas.imports.sql import converter, database, table_name


class TableWriter:
    def __init__(self, model: type[models.Model]):
        fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in fields]
        self.values_of = itemgetter(*self.attnames)
        self.defaults = {
            f.attname: (f.get_default() if f.has_default() or f.null else "") for f in fields
        }
        self.table = table_name(model)
        self.columns = [connection.ops.quote_name(f.column) for f in fields]
        self.converters = [(i, c) for i, f in enumerate(fields) if (c := converter(f)) is not None]

    def write(self, rows: list[dict]) -> int:
        if not rows:
            return 0
        values_of, defaults, converters = self.values_of, self.defaults, self.converters
        params = []
        for row in rows:
            values = list(values_of({**defaults, **row}))
            for i, convert in converters:
                if values[i] is not None:
                    values[i] = convert(values[i])
            params.append(values)
        database().insert(self.table, self.columns, params)
        return len(rows)
