"""k-mer spectrum features (canonical, N-aware) and the logistic-regression baseline."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from sciml.enhancers.kmers import KmerLogistic, canonical_codes, kmer_classifier, kmer_spectrum
from sciml.enhancers.sequences import one_hot
from sciml.errors import InputError
from sciml.models import load_model, save_model


def test_canonical_codes_merge_reverse_complements():
    columns = canonical_codes(2)
    assert columns.max() + 1 == 10  # 16 dinucleotides, 4 palindromes -> 10 canonical
    code = {a + b: 4 * "ACGT".index(a) + "ACGT".index(b) for a in "ACGT" for b in "ACGT"}
    assert columns[code["AC"]] == columns[code["GT"]]
    assert columns[code["AA"]] == columns[code["TT"]] != columns[code["AT"]]
    assert canonical_codes(6).max() + 1 == 2080


def test_spectrum_counts_frequencies_and_skips_n():
    X = one_hot(["AAAA", "AANA", "ACGT"], 4)
    F = kmer_spectrum(X, ks=(1, 2))
    assert F.shape == (3, 2 + 10)
    np.testing.assert_allclose(F[:, :2].sum(axis=1), 1.0)
    np.testing.assert_allclose(F[0, :2], [1.0, 0.0])  # A/T canonical column holds every base
    np.testing.assert_allclose(F[1, 2:].sum(), 1.0)  # only "AA" is a valid 2-mer window
    # a sequence and its reverse complement have the same spectrum
    np.testing.assert_allclose(kmer_spectrum(one_hot(["ACCGTA"], 6)), kmer_spectrum(one_hot(["TACGGT"], 6)))


def test_classifier_learns_composition():
    rng = np.random.default_rng(0)
    gc_rich = ["".join(rng.choice(list("ACGT"), p=[0.2, 0.3, 0.3, 0.2], size=80)) for _ in range(150)]
    uniform = ["".join(rng.choice(list("ACGT"), size=80)) for _ in range(150)]
    F = kmer_spectrum(one_hot(gc_rich + uniform, 80), ks=(1, 2))
    y = np.r_[np.ones(150), np.zeros(150)]
    clf = kmer_classifier(seed=0, inner_folds=3).fit(F[::2], y[::2])
    assert (clf.predict(F[1::2]) == y[1::2]).mean() > 0.7


def test_kmer_model_round_trips_through_a_model_folder(tmp_path):
    rng = np.random.default_rng(1)
    at_rich = ["".join(rng.choice(list("ACGT"), p=[0.35, 0.15, 0.15, 0.35], size=60)) for _ in range(80)]
    uniform = ["".join(rng.choice(list("ACGT"), size=60)) for _ in range(80)]
    X = one_hot(at_rich + uniform, 60)
    labels = np.r_[np.ones(80), np.zeros(80)].astype(int)
    model = KmerLogistic.fit(X, labels, ks=(1, 2, 3), seed=0)
    save_model(tmp_path / "kmer", model, kind="enhancers.kmer_logistic", settings={"ks": list(model.ks)})
    again = load_model(tmp_path / "kmer")
    assert isinstance(again, KmerLogistic) and again.ks == (1, 2, 3)
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))
    assert ((model.predict_proba(X) > 0.5) == labels).mean() > 0.8
    torch.testing.assert_close(torch.sigmoid(again(torch.as_tensor(X)))[:, 0],
                               torch.as_tensor(model.predict_proba(X)))
    save_model(tmp_path / "short", model, kind="enhancers.kmer_logistic", settings={"ks": [1, 2]})
    with pytest.raises(InputError, match="weights do not fit"):
        load_model(tmp_path / "short")
