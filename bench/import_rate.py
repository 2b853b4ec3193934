"""How fast `import_detentions` writes: a generated file of N rows (default 50 000) imported into a fresh
database, timed, printed as rows per second. A measurement for the issue's closing note, not a test.

    python -m bench.import_rate                       # SQLite in bench/.data/import_rate.sqlite3
    DATABASE_URL=postgres://…/kuzet_bench_import python -m bench.import_rate --rows 50000

The database is migrated first and must hold no detentions (use one of its own: the run leaves its import
there). Every row goes through the same services as a row typed in the admin (validation, audit entry,
change-log entry), in one transaction.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=8)
    options = parser.parse_args(argv)

    data_dir = ROOT / "bench" / ".data"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{data_dir / 'import_rate.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from cases.models import Detention
    from core.roles import Role
    from exchange.services import detentions_import
    from tests.exchange.sheets import as_csv, generate

    if Detention.objects.exists():
        print("The bench database already holds detentions: use a fresh one.", file=sys.stderr)
        return 2
    user, _ = get_user_model().objects.get_or_create(username="bench-importer", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=Role.MONITOR))

    started = time.perf_counter()
    sheet = generate(rows=options.rows, seed=options.seed, people=options.rows * 3 // 5)
    data = as_csv(sheet)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    report = detentions_import(user=user, data=data, file_name="bench.csv", dry_run=False)
    seconds = time.perf_counter() - started
    if not report.ok:
        print("\n".join(str(e) for e in report.errors[:20]), file=sys.stderr)
        return 1
    counts = report.counts
    print(f"database: {connection.vendor}; file: {len(data) / 1e6:.1f} MB, generated in {generated:.1f} s")
    print(
        f"{counts['rows']} rows imported in {seconds:.1f} s: {counts['rows'] / seconds:.0f} rows/s "
        f"({counts['people_created']} people, {counts['assemblies_created']} assemblies, "
        f"{counts['detentions_created']} detentions created)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
