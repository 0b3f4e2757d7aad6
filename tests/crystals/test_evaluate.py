import numpy as np
import pytest
import torch

from sciml.crystals.evaluate import Predictions, error_metrics, predict
from sciml.crystals.models import build_potential


def test_error_metrics_units(cu_alloy):
    n = len(cu_alloy)
    energy = cu_alloy.get_potential_energy()
    forces = cu_alloy.get_forces()
    prediction = Predictions(np.array([energy + 0.002 * n]), [forces - 0.05], atoms_per_s=1.0)
    metrics = error_metrics([cu_alloy], prediction)
    assert metrics["energy_mae_mev_per_atom"] == pytest.approx(2.0)
    assert metrics["force_mae_mev_per_A"] == pytest.approx(50.0)
    assert metrics["n_structures"] == 1


def test_predict_batches_like_single_structures(cu_alloy, si_diamond):
    torch.manual_seed(0)
    potential = build_potential("invariant", ["Au", "Cu", "Si"], [-3.0, -3.5, -4.3], 0.5, 4.0, 20.0,
                                {"hidden": 8, "num_interactions": 1, "l_max": 1, "angular_channels": 2})
    together = predict(potential, [cu_alloy, si_diamond, cu_alloy], batch_size=2)
    alone = predict(potential, [si_diamond], batch_size=1)
    assert together.energies.shape == (3,) and [f.shape for f in together.forces] == [(8, 3), (2, 3), (8, 3)]
    assert together.energies[1] == pytest.approx(alone.energies[0], rel=1e-5)
    np.testing.assert_allclose(together.forces[1], alone.forces[0], atol=1e-5)
    assert together.atoms_per_s > 0


def test_summarise_keeps_the_main_size_and_the_worst_physics_errors():
    from sciml.crystals.evaluate import REPORTED_METRICS, summarise
    from sciml.errors import InputError

    def evaluation(n, force, rotation):
        return {**dict.fromkeys(REPORTED_METRICS, 1.0), "n_train": n, "force_mae_mev_per_A": force,
                "equivariance_error": rotation}

    curve, metrics = summarise({("silicon", "equivariant", 100): evaluation(100, 60.0, 1e-3),
                                ("silicon", "equivariant", 1000): evaluation(1000, 40.0, 1e-10),
                                ("metals", "invariant", 1000): evaluation(1000, 20.0, 1e-14)}, 1000)
    assert list(curve["family"]) == ["metals", "silicon", "silicon"] and list(curve["n_train"]) == [1000, 100, 1000]
    assert metrics["silicon"]["equivariant"]["force_mae_mev_per_A"] == 40.0
    assert metrics["equivariance_error"] == 1e-10 and metrics["n_train"] == 1000
    with pytest.raises(InputError, match="no evaluation at n_train=300"):
        summarise({("metals", "invariant", 1000): evaluation(1000, 20.0, 0.0)}, 300)
