"""`manage.py generate_synthetic --people N --seed S`: fill the database with synthetic people, assemblies,
detentions, custody, legal cases and sentences, for load tests and dashboards. Never on production data."""

import time

from django.core.management.base import BaseCommand, CommandError

from cases.synthetic import SyntheticError, synthetic_generate


class Command(BaseCommand):
    help = "Generate deterministic synthetic case data (the same --people and --seed give the same rows)."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=1000, help="How many people (default 1000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help="People per batch, and rows per INSERT (default 5000).",
        )

    def handle(self, *, people, seed, batch_size, verbosity, **options):
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if verbosity >= 1:
                elapsed = time.perf_counter() - started
                self.stderr.write(f"{done}/{total} people, {elapsed:.1f} s")

        try:
            counts = synthetic_generate(people=people, seed=seed, batch_size=batch_size, progress=progress)
        except SyntheticError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        rows = sum(counts.values())
        figures = ", ".join(f"{label} {count}" for label, count in counts.items())
        self.stdout.write(f"{figures}; {rows} rows in {elapsed:.1f} s ({rows / elapsed:.0f} rows/s)")
