"""Two runs of the smoke workflow from clean give identical results on CPU.

The second run repeats the domains the SLURM check (tests/hpc) does not; that check asserts the same
equality for its own domains.
"""

from __future__ import annotations

import json

import pytest

from sciml.provenance import without_timings


@pytest.mark.slow
def test_smoke_workflow_twice_gives_identical_metrics(smoke_run, second_smoke_run):
    other = second_smoke_run.workdir

    def metrics_files(workdir):
        return sorted(p.relative_to(workdir) for domain in second_smoke_run.domains
                      for p in (workdir / "results" / domain).rglob("metrics.json"))

    first = metrics_files(smoke_run)
    assert first and first == metrics_files(other)
    for relative in first:
        doc_a = json.loads((smoke_run / relative).read_text())
        doc_b = json.loads((other / relative).read_text())
        # Wall-time keys (`*seconds`, `*_per_s`, `*latency*`) are the only allowed differences.
        assert without_timings(doc_a) == without_timings(doc_b), relative
        if doc_a == without_timings(doc_a):
            assert (smoke_run / relative).read_bytes() == (other / relative).read_bytes(), relative
    manifest = "results/data/manifest.tsv"
    assert (smoke_run / manifest).read_bytes() == (other / manifest).read_bytes()
