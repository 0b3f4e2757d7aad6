import torch

from sciml.crystals.basis import BesselBasis, polynomial_envelope


def test_envelope_and_derivatives_vanish_at_cutoff():
    r = torch.tensor([0.0, 2.0, 3.999999, 4.0, 5.0], dtype=torch.float64, requires_grad=True)
    u = polynomial_envelope(r, 4.0)
    (du,) = torch.autograd.grad(u.sum(), r, create_graph=True)
    (d2u,) = torch.autograd.grad(du.sum(), r)
    assert u[0] == 1.0
    assert abs(u[2]) < 1e-12 and u[3] == 0 and u[4] == 0
    assert abs(du[2]) < 1e-8 and abs(d2u[2]) < 1e-4


def test_bessel_basis_shape_and_cutoff():
    basis = BesselBasis(cutoff=3.0, num_basis=6).double()
    r = torch.linspace(0.5, 3.5, 31, dtype=torch.float64)
    values = basis(r)
    assert values.shape == (31, 6)
    assert torch.all(values[r >= 3.0] == 0)
    assert values[r < 2.0].abs().sum() > 0
