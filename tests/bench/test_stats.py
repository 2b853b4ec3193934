"""The benchmark's pure helpers: percentiles, the data set's name, the results' shape and the table. No
timing is asserted anywhere (issue 9): only how figures are computed and reported."""

import json

import pytest

from bench import stats


def test_percentile_interpolates_between_closest_ranks():
    samples = [4.0, 1.0, 3.0, 2.0]  # unsorted on purpose
    assert stats.percentile(samples, 0) == 1.0
    assert stats.percentile(samples, 50) == 2.5  # the mean of the middle two
    assert stats.percentile(samples, 100) == 4.0
    assert stats.percentile(list(range(1, 101)), 95) == pytest.approx(95.05)


def test_percentile_of_one_sample_is_that_sample():
    assert stats.percentile([7.0], 99) == 7.0


@pytest.mark.parametrize(("samples", "q"), [([], 50), ([1.0], -1), ([1.0], 101)])
def test_percentile_refuses_no_samples_and_out_of_range(samples, q):
    with pytest.raises(ValueError):
        stats.percentile(samples, q)


def test_latency_summary_is_in_milliseconds():
    summary = stats.latency_summary([0.010] * 98 + [0.050, 0.100])
    assert summary["p50_ms"] == 10.0
    assert summary["p95_ms"] == 10.0
    assert summary["p99_ms"] == pytest.approx(50.5)
    assert summary["max_ms"] == 100.0
    assert summary["samples"] == 100


def test_ratio_is_app_over_sql_and_none_without_sql():
    assert stats.ratio(30.0, 10.0) == 3.0
    assert stats.ratio(30.0, None) is None
    assert stats.ratio(30.0, 0.0) is None


def test_the_data_set_is_renamed_when_a_generator_source_changes(tmp_path):
    first, second = tmp_path / "synthetic.py", tmp_path / "synthetic_names.py"
    first.write_text("A = 1\n")
    second.write_text("B = 2\n")
    before = stats.dataset_name(20000, stats.sources_digest([first, second]))
    assert before == stats.dataset_name(20000, stats.sources_digest([first, second]))  # stable
    second.write_text("B = 3\n")
    after = stats.dataset_name(20000, stats.sources_digest([first, second]))
    assert after != before
    assert after.startswith("people-20000-")
    assert stats.dataset_name(300000, stats.sources_digest([first, second])) != after  # the size too


def _results(**changes):
    endpoint = {"url": "/api/v1/detentions/", "p50_ms": 5.0, "p95_ms": 9.0, "p99_ms": 12.0,
                "raw_sql_p95_ms": 3.0, "ratio": 3.0, "queries": 4}  # fmt: skip
    results = {
        "people": 20000,
        "detentions": 60000,
        "endpoints": {"api detentions": endpoint},
        "throughput_rps": 310.5,
        "errors": 0,
        "report_seconds": 12.5,
        "worker_rss_mb": 180.0,
        "gunicorn_rss_mb": 120.0,
        "generate_rows_per_s": 2500,
        "import_rows_per_s": 40,
        "load_average": [1.0, 2.0, 3.0],
    }
    results.update(changes)
    return results


def test_complete_results_lack_nothing_and_survive_json():
    results = _results()
    assert stats.results_missing(results) == []
    assert stats.results_missing(json.loads(json.dumps(results))) == []


def test_missing_keys_are_named_down_to_the_endpoint():
    results = _results()
    del results["throughput_rps"]
    del results["endpoints"]["api detentions"]["raw_sql_p95_ms"]
    assert stats.results_missing(results) == ["throughput_rps", "endpoints[api detentions].raw_sql_p95_ms"]
    assert stats.results_missing(_results(endpoints={})) == ["endpoints[]"]


def test_the_table_has_a_line_per_endpoint_and_the_other_figures():
    text = stats.table(_results())
    lines = text.splitlines()
    assert lines[0].split()[:2] == ["endpoint", "p50"]
    detentions = next(line for line in lines if line.startswith("api detentions"))
    assert detentions.split()[-6:] == ["5.0", "9.0", "12.0", "3.00", "3.0", "4"]
    assert "310.5 req/s, 0 errors" in text
    assert "12.5 s" in text
    assert "180.0 MB" in text
    assert "2500 rows/s" in text


def test_the_table_shows_a_dash_for_a_figure_not_measured():
    results = _results(report_seconds=None)
    results["endpoints"]["api detentions"]["ratio"] = None
    detentions = next(line for line in stats.table(results).splitlines() if line.startswith("api detentions"))
    assert "–" in detentions
