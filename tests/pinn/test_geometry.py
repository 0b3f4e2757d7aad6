"""CSG geometry: areas and perimeters by sampling vs exact, normals, signed-distance signs, bad geometry."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from sciml.errors import ConfigError
from sciml.pinn.geometry import Ball, Box, Disk, Polygon, SpaceTime, dirichlet_blend

HOLES = [((0.5, 0.5), 0.2), ((0.4, -0.4), 0.4), ((-0.2, -0.7), 0.1), ((-0.6, 0.5), 0.3)]


def four_holes():
    domain = Box((-1.0, -1.0), (1.0, 1.0), ("x", "y"))
    for centre, radius in HOLES:
        domain = domain - Disk(centre, radius)
    return domain


def test_area_and_perimeter_of_a_square_with_four_holes():
    domain = four_holes()
    exact_area = 4.0 - math.pi * sum(r**2 for _, r in HOLES)
    exact_perimeter = 8.0 + 2 * math.pi * sum(r for _, r in HOLES)
    assert domain.measure(100_000) == pytest.approx(exact_area, rel=2e-3)
    assert domain.boundary_measure() == pytest.approx(exact_perimeter, rel=2e-3)
    # boundary points: the share on the holes equals their share of the perimeter
    points = domain.sample_boundary(4000, seed=1)
    on_holes = np.zeros(len(points), bool)
    for centre, radius in HOLES:
        on_holes |= np.abs(np.linalg.norm(points - centre, axis=1) - radius) < 1e-9
    assert on_holes.mean() == pytest.approx(2 * math.pi / exact_perimeter, abs=0.03)
    assert np.all(np.abs(domain.signed_distance(points)) < 1e-9)
    inside = domain.sample_interior(3000, seed=2)
    assert inside.shape == (3000, 2) and np.all(domain.signed_distance(inside) < 0)


def test_union_intersection_and_polygon_areas():
    a, b = Disk((0.0, 0.0), 1.0), Disk((1.0, 0.0), 1.0)
    lens = 2 * math.acos(0.5) - 0.5 * math.sqrt(3.0)  # area of the intersection of two unit disks at distance 1
    assert (a & b).measure(100_000) == pytest.approx(lens, rel=3e-3)
    assert (a | b).measure(100_000) == pytest.approx(2 * math.pi - lens, rel=3e-3)
    assert (a | b).boundary_measure() == pytest.approx(2 * (2 * math.pi - 2 * math.pi / 3), rel=3e-3)
    l_shape = Polygon(((0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)))
    assert l_shape.measure(100_000) == pytest.approx(3.0, rel=3e-3)
    assert l_shape.boundary_measure() == pytest.approx(8.0)
    ball = Ball((0.0, 0.0, 0.0), 1.0)
    assert ball.measure(100_000) == pytest.approx(4 / 3 * math.pi, rel=3e-3)
    assert ball.boundary_measure() == pytest.approx(4 * math.pi)


def test_normals_point_outward_on_holes_and_edges():
    domain = four_holes()
    points = domain.sample_boundary(2000, seed=3)
    normals = domain.normals(points)
    assert np.allclose(np.linalg.norm(normals, axis=1), 1.0)
    for centre, radius in HOLES:  # on a hole the outward normal of the domain points into the hole
        on = np.abs(np.linalg.norm(points - centre, axis=1) - radius) < 1e-9
        radial = (points[on] - centre) / radius
        assert np.allclose(normals[on], -radial, atol=1e-9)
    right = np.abs(points[:, 0] - 1.0) < 1e-12
    assert right.any() and np.allclose(normals[right], [1.0, 0.0])
    # stepping along the normal leaves the domain, stepping against it enters
    assert np.all(domain.signed_distance(points + 1e-4 * normals) > 0)
    assert np.all(domain.signed_distance(points - 1e-4 * normals) < 0)
    square = Polygon(((0, 0), (1, 0), (1, 1), (0, 1)))
    assert np.allclose(square.normals(np.array([[0.5, 0.0], [1.0, 0.3]])), [[0.0, -1.0], [1.0, 0.0]])


def test_sdf_signs_and_exact_values():
    domain = four_holes()
    pts = np.array([[0.0, 0.0], [0.5, 0.5], [1.5, 0.0], [0.5, 0.75], [0.9, 0.0]])
    d = domain.signed_distance(pts)
    assert d[0] < 0 and d[1] > 0 and d[2] > 0
    assert d[3] == pytest.approx(-0.05)  # 0.25 from the hole's centre, 0.05 from its edge
    assert d[4] == pytest.approx(-0.1)   # 0.1 from the right edge
    poly = Polygon(((0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)))
    assert poly.signed_distance(np.array([[1.5, 1.5], [0.5, 0.5], [1.0, 0.5]])) == pytest.approx([0.5, -0.5, -0.5])


def test_adf_is_positive_inside_zero_on_the_boundary():
    for domain in (four_holes(), Polygon(((0, 0), (1, 0), (0.5, 1))), Box((0.0, 0.0), (1.0, 2.0)) | Disk((1.0, 1.0), 0.5)):
        inside = torch.as_tensor(domain.sample_interior(500, seed=4))
        boundary = torch.as_tensor(domain.sample_boundary(500, seed=5))
        assert torch.all(domain.adf(inside) > 0)
        assert torch.allclose(domain.adf(boundary), torch.zeros(500, dtype=torch.float64), atol=1e-9)


def test_dirichlet_blend_takes_each_pieces_value():
    outer, hole = Box((-1.0, -1.0), (1.0, 1.0)), Disk((0.0, 0.0), 0.3)
    domain = outer - hole
    x = torch.as_tensor(domain.sample_boundary(400, seed=6))
    g = dirichlet_blend([outer.adf(x), -hole.adf(x)], [torch.full((400,), 0.2, dtype=x.dtype), torch.ones(400, dtype=x.dtype)])
    on_hole = (x.norm(dim=1) - 0.3).abs() < 1e-9
    assert torch.allclose(g[on_hole], torch.ones(()).double()) and torch.allclose(g[~on_hole], torch.tensor(0.2).double())


def test_space_time_sampling():
    st = SpaceTime(Disk((0.0, 0.0), 1.0, ("x", "y")), 0.0, 2.0)
    assert st.names == ("x", "y", "t") and st.lower == (-1.0, -1.0, 0.0)
    lateral, initial = st.sample_lateral(300), st.sample_initial(300)
    assert np.allclose(np.linalg.norm(lateral[:, :2], axis=1), 1.0) and np.all((lateral[:, 2] >= 0) & (lateral[:, 2] <= 2))
    assert np.all(initial[:, 2] == 0.0) and np.all(st.contains(initial)) and np.all(st.contains(lateral))
    assert np.all(st.signed_distance(st.sample_interior(300)) < 0)


def test_bad_geometry_is_named():
    with pytest.raises(ConfigError, match="no interior"):
        (Disk((0.0, 0.0), 1.0) - Box((-2.0, -2.0), (2.0, 2.0))).sample_interior(10)
    with pytest.raises(ConfigError, match="no interior"):
        (Disk((0.0, 0.0), 1.0) & Disk((5.0, 0.0), 1.0)).sample_interior(10)
    with pytest.raises(ConfigError, match="radius"):
        Disk((0.0, 0.0), 0.0)
    with pytest.raises(ConfigError, match="zero area"):
        Polygon(((0, 0), (1, 1), (2, 2)))
    with pytest.raises(ConfigError, match="no interior"):
        Box((0.0, 0.0), (1.0, 0.0))
    with pytest.raises(ConfigError, match="combine"):
        Disk((0.0, 0.0), 1.0) | Ball((0.0, 0.0, 0.0), 1.0)
