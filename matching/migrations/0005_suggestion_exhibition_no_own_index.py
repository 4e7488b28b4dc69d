"""Drop the index on matching_suggestion.exhibition_id alone: the unique constraint
(exhibition, buyer, exhibitor) and the index (exhibition, status, -score) lead with the
same column, so it served no query they do not, and each new suggestion paid for it.
Only the index goes: the foreign-key constraint stays (AlterField would drop and re-add it,
checking every row again)."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "matching_suggestion_exhibition_id_b7fc8851"


class Migration(migrations.Migration):
    dependencies = [
        ("exhibitions", "0011_mailing"),
        ("matching", "0004_matchrun_model"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="suggestion",
                    name="exhibition",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="suggestions",
                        to="exhibitions.exhibition",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {INDEX}",
                    reverse_sql=f"CREATE INDEX {INDEX} ON matching_suggestion (exhibition_id)",
                ),
            ],
        ),
    ]
