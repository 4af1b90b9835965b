# Registry facts for the importers: NPPES dates, Care Compare, hospitals, NUCC codes, claims.

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0001_initial"),
        ("providers", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProcedureVolume",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="data year")),
                ("services", models.PositiveIntegerField(verbose_name="services")),
                (
                    "beneficiaries",
                    models.PositiveIntegerField(
                        blank=True, null=True, verbose_name="Medicare patients"
                    ),
                ),
                ("hcpcs_codes", models.JSONField(default=list, verbose_name="HCPCS code numbers")),
                (
                    "allowed_total",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        verbose_name="total Medicare allowed amount (USD)",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "Medicare procedure volume",
                "ordering": ["-year", "procedure_id"],
            },
        ),
        migrations.CreateModel(
            name="TaxonomyCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        max_length=10,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[0-9A-Z]{9}X$",
                                "A NUCC taxonomy code has ten characters ending in X.",
                            )
                        ],
                        verbose_name="code",
                    ),
                ),
                ("grouping", models.CharField(max_length=200, verbose_name="grouping")),
                ("classification", models.CharField(max_length=200, verbose_name="classification")),
                (
                    "specialization",
                    models.CharField(blank=True, max_length=200, verbose_name="specialization"),
                ),
                (
                    "display_name",
                    models.CharField(blank=True, max_length=250, verbose_name="display name"),
                ),
                ("definition", models.TextField(blank=True, verbose_name="definition")),
                ("section", models.CharField(blank=True, max_length=20, verbose_name="section")),
                (
                    "version",
                    models.CharField(blank=True, max_length=10, verbose_name="code set version"),
                ),
            ],
            options={
                "verbose_name": "NUCC taxonomy code",
                "ordering": ["code"],
            },
        ),
        migrations.AddField(
            model_name="location",
            name="source_key",
            field=models.CharField(
                blank=True,
                help_text="Where an importer found this address, e.g. nppes:1234567893.",
                max_length=60,
                verbose_name="source key",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="ccn",
            field=models.CharField(
                blank=True,
                help_text="Hospitals only.",
                max_length=10,
                verbose_name="CMS Certification Number",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="deactivated_on",
            field=models.DateField(blank=True, null=True, verbose_name="NPI deactivated on"),
        ),
        migrations.AddField(
            model_name="organization",
            name="emergency_services",
            field=models.BooleanField(blank=True, null=True, verbose_name="emergency services"),
        ),
        migrations.AddField(
            model_name="organization",
            name="enumerated_on",
            field=models.DateField(blank=True, null=True, verbose_name="NPI assigned on"),
        ),
        migrations.AddField(
            model_name="organization",
            name="hospital_type",
            field=models.CharField(blank=True, max_length=100, verbose_name="hospital type"),
        ),
        migrations.AddField(
            model_name="organization",
            name="ownership",
            field=models.CharField(blank=True, max_length=100, verbose_name="ownership"),
        ),
        migrations.AddField(
            model_name="organization",
            name="pac_id",
            field=models.CharField(blank=True, max_length=10, verbose_name="PECOS group PAC ID"),
        ),
        migrations.AddField(
            model_name="organization",
            name="reactivated_on",
            field=models.DateField(blank=True, null=True, verbose_name="NPI reactivated on"),
        ),
        migrations.AddField(
            model_name="organization",
            name="registry_updated_on",
            field=models.DateField(blank=True, null=True, verbose_name="registry last updated"),
        ),
        migrations.AddField(
            model_name="organization",
            name="star_rating",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="CMS overall star rating"
            ),
        ),
        migrations.AddField(
            model_name="practitioner",
            name="deactivated_on",
            field=models.DateField(
                blank=True,
                help_text="A deactivated NPI is hidden from search until it is reactivated.",
                null=True,
                verbose_name="NPI deactivated on",
            ),
        ),
        migrations.AddField(
            model_name="practitioner",
            name="enumerated_on",
            field=models.DateField(blank=True, null=True, verbose_name="NPI assigned on"),
        ),
        migrations.AddField(
            model_name="practitioner",
            name="graduation_year",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="graduation year"
            ),
        ),
        migrations.AddField(
            model_name="practitioner",
            name="hospital_affiliations",
            field=models.ManyToManyField(
                blank=True,
                related_name="affiliated_practitioners",
                to="providers.organization",
                verbose_name="hospital affiliations",
            ),
        ),
        migrations.AddField(
            model_name="practitioner",
            name="medical_school",
            field=models.CharField(blank=True, max_length=200, verbose_name="medical school"),
        ),
        migrations.AddField(
            model_name="practitioner",
            name="medicare_assignment",
            field=models.CharField(
                blank=True,
                choices=[
                    ("Y", "Accepts Medicare assignment"),
                    ("M", "May accept Medicare assignment"),
                    ("", "Not known"),
                ],
                default="",
                max_length=1,
                verbose_name="Medicare assignment",
            ),
        ),
        migrations.AddField(
            model_name="practitioner",
            name="pac_id",
            field=models.CharField(
                blank=True,
                help_text="CMS's enrollment identifier.",
                max_length=10,
                verbose_name="PECOS PAC ID",
            ),
        ),
        migrations.AddField(
            model_name="practitioner",
            name="reactivated_on",
            field=models.DateField(blank=True, null=True, verbose_name="NPI reactivated on"),
        ),
        migrations.AddField(
            model_name="practitioner",
            name="registry_updated_on",
            field=models.DateField(
                blank=True,
                help_text="NPPES last update date.",
                null=True,
                verbose_name="registry last updated",
            ),
        ),
        migrations.AlterField(
            model_name="location",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="locations",
                to="providers.organization",
            ),
        ),
        migrations.AlterField(
            model_name="practitionerrole",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="roles",
                to="providers.organization",
            ),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                condition=models.Q(("pac_id", ""), _negated=True),
                fields=["pac_id"],
                name="organization_pac_id",
            ),
        ),
        migrations.AddConstraint(
            model_name="location",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source_key", ""), _negated=True),
                fields=("source_key",),
                name="location_source_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.UniqueConstraint(
                condition=models.Q(("npi", ""), _negated=True),
                fields=("npi",),
                name="organization_npi_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ccn", ""), _negated=True),
                fields=("ccn",),
                name="organization_ccn_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="practitionerrole",
            constraint=models.UniqueConstraint(
                condition=models.Q(("organization__isnull", True)),
                fields=("practitioner", "location"),
                name="one_unaffiliated_role_per_place",
            ),
        ),
        migrations.AddField(
            model_name="procedurevolume",
            name="practitioner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="procedure_volumes",
                to="providers.practitioner",
            ),
        ),
        migrations.AddField(
            model_name="procedurevolume",
            name="procedure",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="medicare_volumes",
                to="procedures.procedure",
            ),
        ),
        migrations.AddField(
            model_name="taxonomycode",
            name="specialty",
            field=models.ForeignKey(
                blank=True,
                help_text="Our specialty for this code, from the mapping in the content pack.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="taxonomy_codes",
                to="procedures.specialty",
                verbose_name="specialty",
            ),
        ),
        migrations.AddConstraint(
            model_name="procedurevolume",
            constraint=models.UniqueConstraint(
                fields=("practitioner", "procedure", "year"), name="volume_once_per_year"
            ),
        ),
    ]
