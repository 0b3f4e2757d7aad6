"""Two runs of the smoke workflow from clean give identical results on CPU."""

from __future__ import annotations

import json

import pytest

from sciml.provenance import without_timings


@pytest.mark.slow
def test_smoke_workflow_twice_gives_identical_metrics(smoke_run, second_smoke_run):
    other = second_smoke_run
    first = sorted(p.relative_to(smoke_run) for p in (smoke_run / "results").rglob("metrics.json"))
    second = sorted(p.relative_to(other) for p in (other / "results").rglob("metrics.json"))
    assert first == second
    for relative in first:
        doc_a = json.loads((smoke_run / relative).read_text())
        doc_b = json.loads((other / relative).read_text())
        # Wall-time keys (`*seconds`, `*_per_s`, `*latency*`) are the only allowed differences.
        assert without_timings(doc_a) == without_timings(doc_b), relative
        if doc_a == without_timings(doc_a):
            assert (smoke_run / relative).read_bytes() == (other / relative).read_bytes(), relative
    manifest = "results/data/manifest.tsv"
    assert (smoke_run / manifest).read_bytes() == (other / manifest).read_bytes()
