"""Molecular dynamics with a trained potential: NVE energy drift and NVT stability.

`run_md` integrates one trajectory with `ase.md` (velocity Verlet for NVE, Langevin for NVT) and
records, every `log_every` steps, the potential, kinetic and total energies, the temperature and
the closest atom pair. Its summary says whether the run stayed physical: the NVE drift of the
total energy per atom, and for NVT whether the closest pair stayed above `min_distance` and the
temperature below `max_temperature_ratio` x the target. A run whose atoms collapse (closest pair
below half of `min_distance`) or whose energy turns non-finite stops early.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

import numpy as np
from ase import Atoms, units
from ase.calculators.calculator import Calculator as ASECalculator
from ase.calculators.singlepoint import SinglePointCalculator
from tqdm.auto import tqdm

from sciml.crystals.settings import MDSettings


def closest_pair(atoms: Atoms, search: float = 4.0) -> float:
    """Shortest interatomic distance (A) under periodic boundaries; `search` if no pair is closer."""
    from ase.neighborlist import neighbor_list

    if len(atoms) < 2 and not atoms.pbc.any():
        return search
    distances = neighbor_list("d", atoms, search)
    return float(distances.min()) if len(distances) else search


def run_md(atoms: Atoms, calculator: ASECalculator, settings: MDSettings) -> tuple[dict[str, Any], list[Atoms]]:
    """Integrate `settings.steps` MD steps from `atoms` (a copy; velocities drawn from the seed).

    Args:
        atoms: the starting structure.
        calculator: an ASE calculator (e.g. `sciml.crystals.Calculator`).
        settings: ensemble, temperature, steps, time step, thermostat, logging and stability limits.

    Returns:
        The summary (settings, steps completed, `stable`, `nve_drift_mev_per_atom` for NVE: the
        change of the total energy per atom from the first to the last record; the largest
        deviation; mean and highest temperature over the second half; closest pair) and the
        recorded frames (energy and forces attached, `time_fs` and `temperature_K` in `info`).
    """
    from ase.md.langevin import Langevin
    from ase.md.velocitydistribution import MaxwellBoltzmannDistribution, Stationary
    from ase.md.verlet import VelocityVerlet

    atoms = atoms.copy()
    atoms.calc = calculator
    rng = np.random.default_rng(settings.seed)
    MaxwellBoltzmannDistribution(atoms, temperature_K=settings.temperature, rng=rng)
    Stationary(atoms)
    timestep = settings.timestep_fs * units.fs
    if settings.ensemble == "nve":
        dynamics = VelocityVerlet(atoms, timestep)
    else:
        from ase.constraints import FixCom

        atoms.set_constraint(FixCom())  # the thermostat's noise must not move the centre of mass
        dynamics = Langevin(atoms, timestep, temperature_K=settings.temperature,
                            friction=settings.friction_per_fs / units.fs, fixcm=False, rng=rng)
    n = len(atoms)
    records: list[dict[str, float]] = []
    frames: list[Atoms] = []

    def record() -> bool:
        potential = atoms.get_potential_energy()
        kinetic = atoms.get_kinetic_energy()
        entry = {"step": dynamics.nsteps, "time_fs": dynamics.nsteps * settings.timestep_fs,
                 "potential_eV": potential, "total_eV": potential + kinetic,
                 "temperature_K": atoms.get_temperature(), "closest_pair_A": closest_pair(atoms)}
        records.append(entry)
        frame = atoms.copy()
        frame.calc = SinglePointCalculator(frame, energy=potential, forces=atoms.get_forces())
        frame.info.update(time_fs=entry["time_fs"], temperature_K=entry["temperature_K"])
        frames.append(frame)
        return math.isfinite(entry["total_eV"]) and entry["closest_pair_A"] > 0.5 * settings.min_distance

    alive = record()
    bar = tqdm(total=settings.steps, desc=f"md {settings.ensemble} {settings.temperature:g} K", disable=None)
    while alive and dynamics.nsteps < settings.steps:
        chunk = min(settings.log_every, settings.steps - dynamics.nsteps)
        dynamics.run(chunk)
        bar.update(chunk)
        alive = record()
    bar.close()
    total = np.array([r["total_eV"] for r in records])
    temperature = np.array([r["temperature_K"] for r in records])
    second_half = temperature[len(temperature) // 2:]
    closest = min(r["closest_pair_A"] for r in records)
    summary: dict[str, Any] = {
        "settings": asdict(settings), "n_atoms": n, "steps_completed": int(records[-1]["step"]),
        "duration_fs": float(records[-1]["time_fs"]), "closest_pair_A": closest,
        "mean_temperature_K": float(second_half.mean()), "max_temperature_K": float(temperature.max()),
    }
    finite = bool(np.isfinite(total).all())
    stable = finite and alive and closest >= settings.min_distance
    if settings.ensemble == "nve":
        summary["nve_drift_mev_per_atom"] = 1000 * float(total[-1] - total[0]) / n
        summary["nve_max_deviation_mev_per_atom"] = 1000 * float(np.abs(total - total[0]).max()) / n
    else:
        stable = stable and float(temperature.max()) <= settings.max_temperature_ratio * settings.temperature
    summary["stable"] = bool(stable)
    summary["records"] = records
    return summary, frames
