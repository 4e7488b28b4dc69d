"""Index matching_suggestion.reviewed_by_id and dismissed_by_id only where they are set:
nearly every suggestion has neither, and each new row paid two btree inserts of NULL (a
run writes 152,000). The partial indexes serve every lookup by reviewer (a user's
deletion sets them NULL by `= id`). Only the indexes change: the foreign-key constraints
stay (AlterField would drop and re-add them, checking every row again)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD = {
    "reviewed_by": "matching_suggestion_reviewed_by_id_4566d96e",
    "dismissed_by": "matching_suggestion_dismissed_by_id_3f480240",
}


def field():
    return models.ForeignKey(
        blank=True,
        db_index=False,
        null=True,
        on_delete=django.db.models.deletion.SET_NULL,
        related_name="+",
        to=settings.AUTH_USER_MODEL,
    )


def partial(name):
    return models.Index(
        condition=models.Q((f"{name}__isnull", False)), fields=[name], name=f"suggestion_{name}"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0005_suggestion_exhibition_no_own_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AlterField(model_name="suggestion", name=name, field=field()) for name in OLD],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {index}",
                    reverse_sql=f"CREATE INDEX {index} ON matching_suggestion ({name}_id)",
                )
                for name, index in OLD.items()
            ],
        ),
        *(migrations.AddIndex(model_name="suggestion", index=partial(name)) for name in OLD),
    ]
