import numpy as np
import pytest

from sciml.errors import InputError
from sciml.hic.matrix import check_contact_matrix, check_same_bins


def test_valid_matrix_passes():
    m = np.array([[2.0, 1.0], [1.0, 3.0]])
    assert check_contact_matrix(m, "x.cool") is m


@pytest.mark.parametrize(
    ("matrix", "problem"),
    [
        (np.ones((2, 3)), "not square"),
        (np.array([[1.0, 2.0], [0.0, 1.0]]), "not symmetric"),
        (np.array([[1.0, -1.0], [-1.0, 1.0]]), "negative"),
        (np.array([[np.nan, 1.0], [1.0, 1.0]]), "NaN"),
    ],
)
def test_bad_matrices_name_file_and_problem(matrix, problem):
    with pytest.raises(InputError, match=problem) as info:
        check_contact_matrix(matrix, "maps/bad.cool", "chr1")
    assert "maps/bad.cool [chr1]" in str(info.value)


def test_mismatched_bins():
    with pytest.raises(InputError, match="bins do not match a.cool"):
        check_same_bins(np.zeros((3, 3)), np.zeros((4, 4)), "a.cool", "b.cool")
