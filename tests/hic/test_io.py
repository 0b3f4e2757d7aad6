import h5py
import numpy as np
import pytest

from sciml.errors import InputError
from sciml.hic.io import chromosome_sizes, read_matrix, read_weights, write_cool


def test_round_trip_integer_and_float(tmp_path):
    rng = np.random.default_rng(0)
    a = rng.poisson(5, (7, 7))
    a = np.triu(a) + np.triu(a, 1).T
    b = rng.random((4, 4))
    b = b + b.T
    path = write_cool(tmp_path / "m.cool", {"c1": a, "c2": b}, binsize=100, chrom_lengths={"c1": 650, "c2": 400},
                      weights={"c1": np.full(7, 0.5), "c2": np.ones(4)})
    assert chromosome_sizes(path) == {"c1": 650, "c2": 400}
    assert np.array_equal(read_matrix(path, "c1"), a)
    assert np.allclose(read_matrix(path, "c2"), b)
    assert np.allclose(read_matrix(path, "c1", balance=True), a * 0.25)
    assert np.allclose(read_weights(path, "c1"), 0.5)


def test_missing_weights_is_an_input_error(tmp_path):
    path = write_cool(tmp_path / "m.cool", {"c1": np.eye(3)}, binsize=10)
    with pytest.raises(InputError, match="no balancing weights"):
        read_matrix(path, "c1", balance=True)


def test_unknown_chromosome_and_not_a_cool(tmp_path):
    path = write_cool(tmp_path / "m.cool", {"c1": np.eye(3)}, binsize=10)
    with pytest.raises(InputError, match="chromosome not in file"):
        read_matrix(path, "chrX")
    bogus = tmp_path / "bogus.cool"
    bogus.write_text("not hdf5")
    with pytest.raises(InputError, match="not a readable .cool"):
        read_matrix(bogus, "c1")


def test_negative_counts_in_file_are_rejected(tmp_path):
    path = write_cool(tmp_path / "m.cool", {"c1": np.full((3, 3), 2.5)}, binsize=10)
    with h5py.File(path, "r+") as f:
        f["pixels/count"][0] = -1.0
    with pytest.raises(InputError, match="negative"):
        read_matrix(path, "c1")


def test_real_yeast_cool_reads_and_validates(data_mirror):
    path = data_mirror / "hic-yeast-10kb" / "yeast.10kb.cool"
    m = read_matrix(path, "chrIII")
    assert m.shape[0] == 32 and np.allclose(m, m.T) and m.sum() > 1e5
