"""The calendar table holds trust closure days as well as bank holidays, so it is named for both."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0003_seed_response_targets")]
    operations = [migrations.RenameModel("BankHoliday", "NonWorkingDay")]
