"""A response target is per kind only: a graded case takes its grade's target (grading.Grade).

Targets per grade, if an administrator had added any, are removed: the grades now carry them.
"""

from django.db import migrations, models


def remove_targets_per_grade(apps, schema_editor):
    ResponseTarget = apps.get_model("deadlines", "ResponseTarget")
    ResponseTarget.objects.exclude(grade="").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0006_seed_hold_reasons"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="responsetarget",
            options={"ordering": ["kind"]},
        ),
        migrations.RemoveConstraint(
            model_name="responsetarget",
            name="response_target_kind_grade",
        ),
        migrations.RunPython(remove_targets_per_grade, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="responsetarget",
            name="grade",
        ),
        migrations.AlterField(
            model_name="responsetarget",
            name="kind",
            field=models.CharField(max_length=24, unique=True),
        ),
    ]
