"""Load the national code lists (KO41a by collection year, HCAT) from their data files. Safe to run again."""

from django.core.management.base import BaseCommand, CommandError

from palsdesk.coding import loading


class Command(BaseCommand):
    help = (
        "Load KO41a and HCAT code lists from JSON data files (default: every file in palsdesk/coding/data/). "
        "Adds new codes and updates labels; never deletes: a code left out of a newer file for the same year "
        "is disabled from today. All files load in one transaction, or none does."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Data files to load instead of the shipped ones.")

    def handle(self, *args, files, **options):
        try:
            results = loading.load_files(files or None)
        except loading.TaxonomyFileError as error:
            raise CommandError(str(error)) from None
        for result in results:
            self.stdout.write(f"{result.file_name}: {result.summary}")
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(results)} lists."))
