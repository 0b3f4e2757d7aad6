import cooler
import numpy as np
import pandas as pd
import pytest

from sciml.cli import main
from sciml.errors import ConfigError, InputError
from sciml.hic.io import read_matrix, write_cool
from sciml.hic.sample import binomial_thin, sample_cool
from sciml.hic.simulate import thin

BINSIZE = 1000


def _counts(n: int, seed: int, lam: float = 30.0) -> np.ndarray:
    upper = np.triu(np.random.default_rng(seed).poisson(lam, size=(n, n)))
    return (upper + np.triu(upper, 1).T).astype(np.int64)


@pytest.fixture()
def one_chrom(tmp_path):
    counts = _counts(40, 0)
    return write_cool(tmp_path / "in.cool", {"chrA": counts}, BINSIZE), counts


def test_sample_equals_dense_thinning_with_the_same_seed(one_chrom, tmp_path):
    path, counts = one_chrom
    result = sample_cool(path, tmp_path / "out.cool", frac=0.25, seed=3)
    sampled = read_matrix(tmp_path / "out.cool", "chrA")
    np.testing.assert_array_equal(sampled, thin(counts, 0.25, np.random.default_rng(3)))
    assert result["kept_contacts"] == np.triu(sampled).sum()
    assert cooler.Cooler(str(tmp_path / "out.cool")).bins()[:].shape[0] == 40


def test_sample_is_seeded_and_keeps_about_the_fraction(one_chrom, tmp_path):
    path, counts = one_chrom
    a = sample_cool(path, tmp_path / "a.cool", frac=0.1, seed=5)
    b = sample_cool(path, tmp_path / "b.cool", frac=0.1, seed=5)
    c = sample_cool(path, tmp_path / "c.cool", frac=0.1, seed=6)
    assert a == b and a != c
    total = np.triu(counts).sum()
    assert abs(a["kept_contacts"] - 0.1 * total) < 5 * np.sqrt(0.1 * 0.9 * total)


def test_exact_count_and_complement(one_chrom, tmp_path):
    path, counts = one_chrom
    result = sample_cool(path, tmp_path / "k.cool", count=1234, exact=True, seed=1, complement_out=tmp_path / "r.cool")
    kept, rest = read_matrix(tmp_path / "k.cool", "chrA"), read_matrix(tmp_path / "r.cool", "chrA")
    assert result["kept_contacts"] == np.triu(kept).sum() == 1234
    np.testing.assert_array_equal(kept + rest, counts)


def test_count_without_exact_is_binomial_with_count_over_total(one_chrom, tmp_path):
    path, counts = one_chrom
    total = int(np.triu(counts).sum())
    sample_cool(path, tmp_path / "k.cool", count=total // 4, seed=2)
    np.testing.assert_array_equal(read_matrix(tmp_path / "k.cool", "chrA"),
                                  thin(counts, (total // 4) / total, np.random.default_rng(2)))


def test_bad_amounts_are_config_errors(one_chrom, tmp_path):
    path, _ = one_chrom
    for kwargs in ({}, {"frac": 0.5, "count": 3}, {"frac": 0.0}, {"frac": 1.5}, {"count": 10**12},
                   {"frac": 0.5, "exact": True}):
        with pytest.raises(ConfigError):
            sample_cool(path, tmp_path / "x.cool", **kwargs)
    assert not (tmp_path / "x.cool").exists()
    with pytest.raises(ConfigError):
        binomial_thin(np.array([3]), -0.1, np.random.default_rng(0))


@pytest.mark.parametrize("value", [2.5, -1.0, np.nan, np.inf])
def test_non_count_pixels_are_named_and_nothing_is_written(tmp_path, value):
    bins = cooler.binnify(pd.Series({"chrA": 4 * BINSIZE}), BINSIZE)
    pixels = pd.DataFrame({"bin1_id": [0, 0, 1], "bin2_id": [0, 1, 2], "count": [5.0, value, 2.0]})
    cooler.create_cooler(str(tmp_path / "bad.cool"), bins, pixels, dtypes={"count": "float64"})
    with pytest.raises(InputError) as caught:
        sample_cool(tmp_path / "bad.cool", tmp_path / "out.cool", frac=0.5, complement_out=tmp_path / "rest.cool")
    assert "bad.cool" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.cool"]


def test_cli_sample_and_mcool_resolution(one_chrom, tmp_path, capsys):
    path, counts = one_chrom
    cooler.zoomify_cooler(str(path), str(tmp_path / "in.mcool"), [BINSIZE, 2 * BINSIZE], chunksize=10_000)
    assert main(["hic", "sample", "--cool", f"{tmp_path / 'in.mcool'}::/resolutions/{BINSIZE}", "--frac", "0.5",
                 "--seed", "4", "--out", str(tmp_path / "o.cool")]) == 0
    assert "kept" in capsys.readouterr().out
    np.testing.assert_array_equal(read_matrix(tmp_path / "o.cool", "chrA"), thin(counts, 0.5, np.random.default_rng(4)))
    with pytest.raises(InputError, match="resolutions/1000"):
        sample_cool(f"{tmp_path / 'in.mcool'}::/resolutions/5000", tmp_path / "p.cool", frac=0.5)
    with pytest.raises(InputError, match="multi-resolution"):
        sample_cool(tmp_path / "in.mcool", tmp_path / "p.cool", frac=0.5)
