import random

import numpy as np
import torch

from sciml.train import load_state, save_state


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
