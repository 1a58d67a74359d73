"""Seed England's non-working weekdays for 2010–2045 from the `holidays` package (England: subdiv ENG)."""

from django.db import migrations

FIRST_YEAR = 2010
LAST_YEAR = 2045


def seed(apps, schema_editor):
    import holidays

    BankHoliday = apps.get_model("deadlines", "BankHoliday")
    england = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    # The package lists both a holiday's real date and its weekday substitute "(observed)"; a
    # Saturday or Sunday is never a working day anyway, so only weekdays are stored.
    rows = [BankHoliday(date=day, name=name) for day, name in sorted(england.items()) if day.weekday() < 5]
    BankHoliday.objects.bulk_create(rows, ignore_conflicts=True)


def unseed(apps, schema_editor):
    apps.get_model("deadlines", "BankHoliday").objects.filter(created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
