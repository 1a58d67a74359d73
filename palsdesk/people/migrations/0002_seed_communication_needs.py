"""Seed the communication needs of the Accessible Information Standard (DCB1605)."""

from django.db import migrations

NEEDS = [
    ("large-print", "Large print"),
    ("easy-read", "Easy read"),
    ("braille", "Braille"),
    ("audio", "Audio format"),
    ("bsl", "British Sign Language interpreter"),
    ("interpreter", "Spoken language interpreter"),
    ("deafblind-interpreter", "Deafblind manual interpreter"),
    ("lipspeaker", "Lipspeaker"),
    ("hearing-loop", "Hearing loop"),
    ("email-only", "Contact by email only"),
    ("text-relay", "Text relay (Relay UK)"),
    ("advocate", "Needs an advocate"),
    ("carer-present", "Carer or supporter to be present"),
]


def seed(apps, schema_editor):
    CommunicationNeed = apps.get_model("people", "CommunicationNeed")
    for code, name in NEEDS:
        CommunicationNeed.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
