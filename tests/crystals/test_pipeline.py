import pytest

from sciml.crystals.pipeline import evaluation_key
from sciml.errors import InputError


def test_evaluation_file_names_give_family_model_and_size(tmp_path):
    assert evaluation_key(tmp_path / "silicon_equivariant_n300.json") == ("silicon", "equivariant", 300)
    for bad in ("silicon_equivariant.json", "silicon_equivariant_300.json", "x_y_nfour.json"):
        with pytest.raises(InputError, match="<family>_<model>_n<size>.json"):
            evaluation_key(tmp_path / bad)
