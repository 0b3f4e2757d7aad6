"""Two runs of the smoke workflow from clean give identical results on CPU."""

from __future__ import annotations

import json

import pytest

from sciml.provenance import without_timings


@pytest.mark.slow
def test_smoke_workflow_twice_gives_identical_metrics(smoke_run, tmp_path, run_smoke):
    done = run_smoke(tmp_path)
    assert done.returncode == 0, done.stderr[-5000:]
    first = sorted((smoke_run / "results").rglob("metrics.json"))
    second = sorted((tmp_path / "results").rglob("metrics.json"))
    assert [p.relative_to(smoke_run) for p in first] == [p.relative_to(tmp_path) for p in second]
    for a, b in zip(first, second, strict=True):
        doc_a, doc_b = json.loads(a.read_text()), json.loads(b.read_text())
        # Wall-time keys (`*seconds`, `*_per_s`, `*latency*`) are the only allowed differences.
        assert without_timings(doc_a) == without_timings(doc_b), a.relative_to(smoke_run)
        if doc_a == without_timings(doc_a):
            assert a.read_bytes() == b.read_bytes(), a.relative_to(smoke_run)
    assert (smoke_run / "results/data/manifest.tsv").read_bytes() == (tmp_path / "results/data/manifest.tsv").read_bytes()
