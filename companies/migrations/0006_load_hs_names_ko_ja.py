"""Fill HSCode.name_ko and name_ja from companies/data/hs2022-names-{ko,ja}.csv (codes without a
row keep "": the English description stands in). Re-running load_hs_names() after replacing
the files updates an existing database."""

from django.db import migrations


def load(apps, schema_editor):
    from companies.hs import load_hs_names

    load_hs_names(apps.get_model("companies", "HSCode"))


class Migration(migrations.Migration):
    dependencies = [("companies", "0005_hscode_names_ko_ja")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
