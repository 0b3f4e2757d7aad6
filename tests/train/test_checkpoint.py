import random

import numpy as np
import pytest
import torch

from sciml.errors import InputError
from sciml.train import load_state, load_weights, read_model_config, save_model_dir, save_state


def test_model_dir_roundtrip_without_pickle(tmp_path):
    model = torch.nn.Sequential(torch.nn.Conv1d(4, 8, 5), torch.nn.BatchNorm1d(8))
    with torch.no_grad():
        model[1].running_mean.uniform_()
    save_model_dir(tmp_path / "m", model, {"arch": "demo", "channels": 8}, metrics={"auroc": 0.9})
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["config.json", "metrics.json", "model.safetensors"]
    assert read_model_config(tmp_path / "m")["channels"] == 8
    clone = torch.nn.Sequential(torch.nn.Conv1d(4, 8, 5), torch.nn.BatchNorm1d(8))
    load_weights(clone, tmp_path / "m")
    for key, value in model.state_dict().items():
        assert torch.equal(value, clone.state_dict()[key])
    assert not list(tmp_path.glob(".m.*")), "temporary directory left behind"


def test_load_weights_rejects_wrong_architecture(tmp_path):
    save_model_dir(tmp_path / "m", torch.nn.Linear(3, 2), {})
    with pytest.raises(InputError, match="do not fit"):
        load_weights(torch.nn.Sequential(torch.nn.Linear(3, 2)), tmp_path / "m")


def test_load_weights_rejects_wrong_shapes(tmp_path):
    save_model_dir(tmp_path / "m", torch.nn.Linear(3, 2), {})
    with pytest.raises(InputError, match="do not fit"):
        load_weights(torch.nn.Linear(3, 4), tmp_path / "m")


def test_missing_model_dir_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="config.json missing"):
        read_model_config(tmp_path)


def test_state_roundtrip_keeps_types_exactly(tmp_path):
    random.seed(1)
    state = {
        "python": random.getstate(),
        "numpy": np.random.RandomState(2).get_state(),
        "torch": torch.get_rng_state(),
        "int_keys": {0: {"step": torch.tensor(3.0)}, 1: [1, 2.5, None, True]},
        "betas": (0.9, 0.999),
    }
    save_state(tmp_path / "ck", state)
    back = load_state(tmp_path / "ck")
    random.setstate(back["python"])  # would raise on a list instead of a tuple
    assert back["betas"] == (0.9, 0.999)
    assert back["numpy"][0] == "MT19937" and np.array_equal(back["numpy"][1], state["numpy"][1])
    assert torch.equal(back["torch"], state["torch"])
    assert back["int_keys"][0]["step"].item() == 3.0 and back["int_keys"][1] == [1, 2.5, None, True]


def test_loaded_state_tensors_sit_in_aligned_memory(tmp_path):
    # safetensors places a tensor at any offset of its file buffer; BLAS rounds differently on
    # unaligned memory, which broke bit-identical resume of the dense quasi-Newton PINN optimiser
    state = {"small": torch.zeros(3, dtype=torch.int64), "H": torch.rand(40, 40, dtype=torch.float64),
             "odd": torch.zeros(1)}
    save_state(tmp_path / "ckpt", state)
    loaded = load_state(tmp_path / "ckpt")
    assert all(tensor.data_ptr() % 64 == 0 for tensor in loaded.values())
    g = torch.rand(40, dtype=torch.float64)
    assert torch.equal(loaded["H"] @ g, state["H"] @ g)
