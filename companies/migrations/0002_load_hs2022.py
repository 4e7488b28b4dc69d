"""Load the HS 2022 nomenclature (6,940 codes) so every database has the category tree."""

from django.db import migrations


def load(apps, schema_editor):
    from companies.hs import load_hs2022

    load_hs2022(apps.get_model("companies", "HSCode"))


class Migration(migrations.Migration):
    dependencies = [("companies", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
