"""Load the shipped code lists (palsdesk/coding/data/*.json) so that a fresh database can code cases at once.

Later files are loaded with `manage.py load_taxonomies`. This migration runs the loader with its own
historical models; if the loader one day needs fields these models lack, freeze a copy of it here.
"""

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from palsdesk.coding import loading

    Taxonomy = apps.get_model("coding", "Taxonomy")
    Code = apps.get_model("coding", "Code")
    now = timezone.now()
    for path in loading.shipped_files():
        loading.apply_document(
            loading.read_file(path), file_name=path.name, now=now, taxonomy_model=Taxonomy, code_model=Code
        )


class Migration(migrations.Migration):
    dependencies = [("coding", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
