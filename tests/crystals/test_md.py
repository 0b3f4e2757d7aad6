import json

import numpy as np
import pytest
import torch
from ase.build import bulk
from ase.calculators.emt import EMT

from sciml.crystals.md import closest_pair, run_md
from sciml.crystals.settings import MDCheckSettings, MDSettings


def test_nve_with_emt_conserves_energy_and_nvt_holds_the_temperature():
    atoms = bulk("Cu", "fcc", a=3.61, cubic=True).repeat((2, 2, 2))
    nve, frames = run_md(atoms, EMT(), MDSettings(ensemble="nve", temperature=300, steps=100, log_every=10))
    assert nve["stable"] and nve["steps_completed"] == 100 and len(frames) == 11
    assert abs(nve["nve_drift_mev_per_atom"]) < 0.5  # EMT, 1 fs: energy is conserved
    assert frames[-1].info["time_fs"] == 100 and frames[-1].get_forces().shape == (32, 3)
    nvt, _ = run_md(atoms, EMT(), MDSettings(ensemble="nvt", temperature=600, steps=200, log_every=20,
                                             friction_per_fs=0.05))
    assert nvt["stable"] and 200 < nvt["mean_temperature_K"] < 1200
    assert nvt["closest_pair_A"] == pytest.approx(min(r["closest_pair_A"] for r in nvt["records"]))


def test_a_collapsing_run_is_unstable_and_stops():
    from ase.calculators.lj import LennardJones

    atoms = bulk("Cu", "fcc", a=3.61, cubic=True)
    # an attractive pair potential with a tiny core: atoms fall into each other
    calc = LennardJones(sigma=0.3, epsilon=5.0, rc=3.0, smooth=True)
    summary, _ = run_md(atoms, calc, MDSettings(ensemble="nvt", temperature=3000, steps=400, log_every=5,
                                                min_distance=1.5))
    assert not summary["stable"]
    assert summary["closest_pair_A"] < 1.5


def test_closest_pair_sees_periodic_images():
    atoms = bulk("Cu", "fcc", a=3.61)  # one atom: its nearest neighbour is an image
    assert closest_pair(atoms) == pytest.approx(3.61 / np.sqrt(2))


def test_md_cli_and_md_check_on_a_saved_model(tmp_path):
    from sciml.cli import main
    from sciml.crystals.io import read_structures, write_structures
    from sciml.crystals.models import build_potential, save_potential
    from sciml.crystals.pipeline import md_check
    from sciml.crystals.settings import InvariantSettings

    torch.manual_seed(0)
    network = InvariantSettings(hidden=8, num_interactions=1, num_basis=4, l_max=1, angular_channels=2)
    potential = build_potential("invariant", ["Cu"], [-3.5], 0.05, 4.0, 12.0, network)
    save_potential(tmp_path / "model", potential, "invariant", network, 12.0)
    start = tmp_path / "start.extxyz"
    write_structures(start, [bulk("Cu", "fcc", a=3.61, cubic=True)])
    out = tmp_path / "traj.extxyz"
    assert main(["crystals", "md", "--model", str(tmp_path / "model"), "--structure", str(start),
                 "--temperature", "300", "--steps", "6", "--set", "log_every=3", "--set", "ensemble=nve",
                 "--out", str(out), "--summary", str(tmp_path / "md.json")]) == 0
    frames = read_structures(out)
    assert len(frames) == 3 and json.loads((tmp_path / "md.json").read_text())["steps_completed"] == 6
    summary = md_check(tmp_path / "model", start, tmp_path / "check.json",
                       MDCheckSettings(nve_steps=4, nvt_temperatures=(300.0, 900.0), nvt_steps=4, log_every=2))
    assert set(summary["runs"]) == {"nve_300K", "nvt_300K", "nvt_900K"}
    assert "nve_drift_mev_per_atom" in summary["runs"]["nve_300K"]
    assert json.loads((tmp_path / "check.json").read_text())["stable"] == summary["stable"]


def test_md_refuses_an_element_the_model_does_not_know(tmp_path):
    from sciml.crystals.io import write_structures
    from sciml.crystals.models import build_potential, save_potential
    from sciml.crystals.pipeline import md_file
    from sciml.crystals.settings import InvariantSettings
    from sciml.errors import InputError

    network = InvariantSettings(hidden=4, num_interactions=1, num_basis=4, l_max=0, angular_channels=1)
    save_potential(tmp_path / "model", build_potential("invariant", ["Cu"], [0.0], 1.0, 4.0, 12.0, network),
                   "invariant", network, 12.0)
    start = tmp_path / "fe.extxyz"
    write_structures(start, [bulk("Fe", "bcc", a=2.87)])
    with pytest.raises(InputError, match=r"\[0\].*\['Fe'\]"):
        md_file(tmp_path / "model", start, tmp_path / "traj.extxyz", MDSettings(steps=2))
    assert not (tmp_path / "traj.extxyz").exists()
