"""Physics checks of both potentials in float64 (random weights: the symmetries hold by construction)."""

import pytest
import torch

from sciml.crystals.models import build_potential
from sciml.crystals.physics import (
    cutoff_energy_jump,
    finite_difference_error,
    float64_copy,
    permutation_error,
    physics_report,
    rotation_error,
    supercell_error_mev_per_atom,
    translation_error,
)

SETTINGS = {
    "invariant": {"hidden": 16, "num_interactions": 2, "l_max": 2, "angular_channels": 4},
    "equivariant": {"l_max": 2, "channels": 4, "num_layers": 2, "radial_hidden": 8},
}


@pytest.fixture(scope="module", params=["invariant", "equivariant"])
def potential(request):
    torch.manual_seed(0)
    model = build_potential(request.param, ["Au", "Cu", "Si"], [-3.0, -3.5, -4.3], 0.5, 4.0, 20.0,
                            SETTINGS[request.param])
    with torch.no_grad():  # larger readout weights so the learned part is not negligible next to references
        for p in model.network.readout.parameters():
            p.mul_(2.0)
    return float64_copy(model)


def test_rotation_translation_permutation_at_round_off(potential, cu_alloy, si_diamond):
    for atoms in (cu_alloy, si_diamond):
        for errors in (rotation_error(potential, atoms, seed=5), translation_error(potential, atoms),
                       permutation_error(potential, atoms, seed=2)):
            assert errors["energy"] < 1e-12, errors
            assert errors["forces"] < 1e-9, errors


def test_forces_rotate_with_the_crystal_e3nn(potential, cu_alloy):
    """e3nn's own checker on the network: per-atom outputs are scalars (0e) of the edge vectors (1o)."""
    from e3nn.util.test import assert_equivariant

    from sciml.crystals.graphs import atoms_to_graph, edge_vectors

    graph = atoms_to_graph(cu_alloy, potential.cutoff, torch.float64)
    batch = torch.zeros(len(cu_alloy), dtype=torch.long)
    vectors = edge_vectors(graph.pos, graph.cell, graph.edge_index, graph.cell_shift, batch)
    species = potential.species_of_z[graph.z]
    errors = assert_equivariant(lambda v: potential.network(species, graph.edge_index, v).unsqueeze(-1),
                                args_in=[vectors], irreps_in=["1o"], irreps_out=["0e"], tolerance=1e-9)
    assert max(abs(float(e)) for e in errors.values()) < 1e-9


def test_supercell_energy_is_extensive(potential, cu_alloy, si_diamond):
    assert supercell_error_mev_per_atom(potential, cu_alloy) < 1e-9
    assert supercell_error_mev_per_atom(potential, si_diamond) < 1e-9


def test_forces_are_minus_the_energy_gradient(potential, cu_alloy, si_diamond):
    # central differences with h = 1e-4 A: truncation error ~h^2, far below any real force error
    assert finite_difference_error(potential, cu_alloy, step=1e-4, n_components=4) < 1e-5
    assert finite_difference_error(potential, si_diamond, step=1e-4, n_components=4) < 1e-5


def test_energy_is_smooth_at_the_cutoff(potential):
    assert cutoff_energy_jump(potential, "Si", delta=1e-6) < 1e-12


def test_physics_report_keys(potential, si_diamond):
    report = physics_report(potential, [si_diamond])
    assert set(report) == {"equivariance_error", "translation_error", "permutation_error",
                           "supercell_error_mev_per_atom"}
    assert max(report.values()) < 1e-9
