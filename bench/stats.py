"""The pure parts of the benchmark: percentiles, the data set's name, the results' shape and the table.

No Django, no database, no clock here: these are what tests/bench checks (never a timing).
"""

import hashlib
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

# The keys every bench/results/*.json holds (issue 9), and those of each endpoint entry.
RESULT_KEYS = (
    "people",
    "detentions",
    "endpoints",
    "throughput_rps",
    "errors",
    "report_seconds",
    "worker_rss_mb",
)
ENDPOINT_KEYS = ("url", "p50_ms", "p95_ms", "p99_ms", "raw_sql_p95_ms", "ratio")
# The mixed load (bench/locustfile.py): requests per 20, by endpoint name (bench.run.endpoints). Mostly the
# partner API and person pages (to many people), now and then the dashboard.
LOAD_WEIGHTS = {
    "api detentions": 6,
    "api people search cyr": 3,
    "api people search lat": 3,
    "person history page": 5,
    "search page": 2,
    "dashboard one year": 1,
}


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between the closest ranks (numpy's default and
    Excel's PERCENTILE.INC), so that p50 of an even count is the mean of the middle two. Raises ValueError on
    no samples or q outside 0–100."""
    if not samples:
        raise ValueError("no samples")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0–100")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99 and the maximum of timings given in seconds, in milliseconds rounded to 0.01."""
    ms = [s * 1000 for s in seconds]
    return {
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2),
        "samples": len(ms),
    }


def ratio(app_ms: float, raw_ms: float | None) -> float | None:
    """How many times slower the app is than the raw SQL (p95 over p95), or None without a raw figure."""
    if not raw_ms:
        return None
    return round(app_ms / raw_ms, 1)


def sources_digest(paths: Iterable[Path], length: int = 12) -> str:
    """A short hash of the files' contents, in order: a change to any of them names a new data set."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:length]


def dataset_name(people: int, digest: str) -> str:
    """The dump's file name stem: size and generator, e.g. `people-20000-1a2b3c4d5e6f`."""
    return f"people-{people}-{digest}"


def results_missing(results: dict) -> list[str]:
    """What a results document lacks of the issue's required keys ('endpoints[<name>].<key>' for an endpoint
    entry); empty when complete."""
    missing = [key for key in RESULT_KEYS if key not in results]
    endpoints = results.get("endpoints")
    if isinstance(endpoints, dict):
        if not endpoints:
            missing.append("endpoints[]")
        for name, entry in endpoints.items():
            missing += [f"endpoints[{name}].{key}" for key in ENDPOINT_KEYS if key not in entry]
    return missing


def _cell(value, width: int, digits: int = 1) -> str:
    if value is None:
        return f"{'–':>{width}}"
    if isinstance(value, float):
        return f"{value:>{width}.{digits}f}"
    return f"{value!s:>{width}}"


def table(results: dict) -> str:
    """The one table `make bench` prints: a line per endpoint, then the other figures."""
    columns = ("p50 ms", "p95 ms", "p99 ms", "sql p95")
    head = f"{'endpoint':<28} " + " ".join(f"{c:>8}" for c in columns) + f" {'ratio':>6} {'queries':>7}"
    lines = [head, "-" * len(head)]
    for name, entry in results["endpoints"].items():
        lines.append(
            f"{name:<28} {_cell(entry['p50_ms'], 8)} {_cell(entry['p95_ms'], 8)} {_cell(entry['p99_ms'], 8)} "
            f"{_cell(entry['raw_sql_p95_ms'], 8, 2)} {_cell(entry['ratio'], 6)} "
            f"{_cell(entry.get('queries'), 7)}"
        )
    lines.append("-" * len(head))
    figures = [
        ("people / detentions", f"{results['people']} / {results['detentions']}"),
        ("mixed load", f"{results['throughput_rps']} req/s, {results['errors']} errors"),
        ("yearly report", f"{results['report_seconds']} s (queue → review, slowest body)"),
        ("peak RSS, gunicorn worker", f"{results.get('gunicorn_rss_mb')} MB"),
        ("peak RSS, Celery worker", f"{results['worker_rss_mb']} MB"),
    ]
    if results.get("generate_rows_per_s") is not None:
        figures.append(("generate_synthetic", f"{results['generate_rows_per_s']} rows/s"))
    if results.get("import_rows_per_s") is not None:
        figures.append(("import_detentions", f"{results['import_rows_per_s']} rows/s"))
    if results.get("load_average"):
        figures.append(("load average", " ".join(f"{x:.2f}" for x in results["load_average"])))
    lines += [f"{label:<28} {value}" for label, value in figures]
    return "\n".join(lines)
