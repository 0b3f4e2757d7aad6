"""JASPAR loading (offline pyjaspar) and Tomtom matching with memelite."""

from __future__ import annotations

import numpy as np
import pytest

from sciml.enhancers.jaspar import Motif, select_motifs
from sciml.enhancers.matching import family_matched, planted_recovery, tomtom_compare
from sciml.enhancers.settings import KOO_EDDY_TFS
from sciml.errors import ConfigError


def test_jaspar_2024_core_vertebrates_offline(jaspar):
    assert 800 < len(jaspar) < 1000
    planted = select_motifs(jaspar, KOO_EDDY_TFS)
    assert len(planted) == 12
    for m in planted:
        np.testing.assert_allclose(m.ppm.sum(axis=0), 1.0)
    with pytest.raises(ConfigError, match="NOTATF"):
        select_motifs(jaspar, ["SP1", "NOTATF"])


def test_noisy_copies_of_planted_motifs_are_recovered(jaspar):
    planted = select_motifs(jaspar, ["SP1", "CEBPB", "MAX"])
    rng = np.random.default_rng(0)
    queries = {}
    for k, m in enumerate(planted):
        noisy = m.ppm + rng.uniform(0, 0.05, m.ppm.shape)
        queries[f"filter{k}"] = noisy / noisy.sum(axis=0)
    rand = rng.dirichlet(np.ones(4), size=10).T
    queries["filter_random"] = rand
    result = tomtom_compare(queries, jaspar)
    best = result.best_matches()
    assert [b.name.upper() for b in best[:2]] == ["SP1", "CEBPB"]  # MAX: an E-box, may best-match MYC/MYCN
    assert all(b.q_value < 0.05 for b in best[:3])
    recovered, fraction = planted_recovery(result, planted, n_filters=8)
    assert all(recovered.values()) and fraction == pytest.approx(3 / 8)
    assert family_matched(best, "zinc finger") or family_matched(best, "C2H2")
    assert not family_matched(best, "Interferon")


def test_more_jobs_than_cpus_is_clamped(jaspar):
    import numba

    query = {"filter0": select_motifs(jaspar, ["SP1"])[0].ppm}
    one = tomtom_compare(query, jaspar, n_jobs=1)
    many = tomtom_compare(query, jaspar, n_jobs=numba.config.NUMBA_NUM_THREADS + 1)
    np.testing.assert_allclose(many.p_values, one.p_values)



def test_case_variant_names_pick_the_exact_match(jaspar):
    # JASPAR 2024 has MAX (MA0058) beside Max (MA1897, MA2255) and SP1 (MA0079) beside Sp1 (MA2279)
    chosen = select_motifs(jaspar, ["MAX", "SP1", "yy1"])
    assert [m.matrix_id.split(".")[0] for m in chosen] == ["MA0058", "MA0079", "MA0095"]
    ppm = np.full((4, 3), 0.25)
    twins = [Motif("X1.1", "Foo", "f", ppm, ppm), Motif("X2.1", "FOO", "f", ppm, ppm), Motif("X3.1", "FOO", "f", ppm, ppm)]
    assert select_motifs(twins, ["Foo"])[0].matrix_id == "X1.1"
    with pytest.raises(ConfigError, match="several"):
        select_motifs(twins, ["foo"])
