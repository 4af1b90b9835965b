from django.db import migrations

from careatlas.core.migration_ops import drop_prefix_index


class Migration(migrations.Migration):
    dependencies = [("imports", "0002_nppes_record")]

    # The importer reads its records by whole NPI only.
    operations = [drop_prefix_index("imports_nppesrecord", "npi")]
