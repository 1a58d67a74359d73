"""Seed the response targets per kind of case; each trust changes them in the admin."""

from django.db import migrations

# Working days from receipt. Complaints: the common 25-day target for a routine grade (domain.md §5.2);
# MP letters: the usual 20 working days (§8.4); PALS, compliments and enquiries: 5 working days.
TARGETS = {"pals_concern": 5, "complaint": 25, "compliment": 5, "enquiry": 5, "mp_letter": 20}


def seed(apps, schema_editor):
    ResponseTarget = apps.get_model("deadlines", "ResponseTarget")
    for kind, working_days in TARGETS.items():
        ResponseTarget.objects.get_or_create(kind=kind, defaults={"working_days": working_days})


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0002_seed_bank_holidays")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
