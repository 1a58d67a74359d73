"""Build every case's search document again: after a restore, a bulk load, or a change to what is searched."""

import time

from django.core.management.base import BaseCommand

from palsdesk.search import indexing


class Command(BaseCommand):
    help = (
        "Build every case's search document again from its case, timeline and people (PostgreSQL; SQLite reads "
        "the source tables and keeps no documents). Saving a case keeps its own document up to date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=1, help="Connections building documents at once.")

    def handle(self, *args, workers: int, **options):
        if not indexing.keeps_documents():
            self.stdout.write("This database keeps no search documents: search reads the cases directly.")
            return
        started = time.perf_counter()
        built = indexing.rebuild(workers=workers, progress=lambda n: self.stdout.write(f"  {n:,} documents"))
        self.stdout.write(f"Built {built:,} search documents in {time.perf_counter() - started:.1f} s.")
