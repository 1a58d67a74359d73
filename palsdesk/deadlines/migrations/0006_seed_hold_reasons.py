"""Seed the reasons the trust allows for holding a response clock; administrators change them in the admin."""

from django.db import migrations

REASONS = [
    ("awaiting-consent", "Awaiting the patient's consent"),
    ("awaiting-complainant", "Awaiting information from the complainant"),
    ("awaiting-other-body", "Awaiting another organisation's contribution"),
    ("awaiting-incident-investigation", "Awaiting a patient safety incident investigation, as agreed"),
    ("awaiting-legal-or-coroner", "Awaiting an inquest or legal process, as agreed"),
]


def seed(apps, schema_editor):
    HoldReason = apps.get_model("deadlines", "HoldReason")
    for code, name in REASONS:
        HoldReason.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0005_clocks_history")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
