"""Training potentials on energies and forces with the shared fit loop."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from ase import Atoms
from torch.utils.data import DataLoader

from sciml.crystals.graphs import atoms_to_graph, collate
from sciml.crystals.models import build_potential, model_config
from sciml.crystals.potential import Potential
from sciml.crystals.references import composition_matrix, fit_reference_energies
from sciml.crystals.structures import energy_of, forces_of
from sciml.errors import ConfigError
from sciml.train import FitConfig, FitResult, fit, move_to_device


def energy_force_loss(model: Potential, batch, energy_weight: float, force_weight: float) -> torch.Tensor:
    """energy_weight * MSE(E/atom) [eV^2] + force_weight * MSE(F components) [(eV/A)^2]."""
    prediction = model(batch)
    energy_error = (prediction.energy - batch.energy) / batch.n_atoms
    return energy_weight * energy_error.pow(2).mean() + force_weight * (prediction.forces - batch.forces).pow(2).mean()


def energy_force_errors(model: Potential, loader: DataLoader) -> dict[str, float]:
    """Validation MAEs: val_energy_mae_mev_per_atom, val_force_mae_mev_per_A."""
    device = next(model.parameters()).device
    energy_abs, force_abs, n_structures, n_components = 0.0, 0.0, 0, 0
    for batch in loader:
        batch = move_to_device(batch, device)
        prediction = model(batch)
        energy_abs += float(((prediction.energy - batch.energy) / batch.n_atoms).abs().sum())
        force_abs += float((prediction.forces - batch.forces).abs().sum())
        n_structures += int(batch.num_graphs)
        n_components += batch.forces.numel()
    return {"val_energy_mae_mev_per_atom": 1000 * energy_abs / n_structures,
            "val_force_mae_mev_per_A": 1000 * force_abs / n_components}


def average_num_neighbors(graphs: Sequence) -> float:
    """Mean number of edges per atom over `graphs` (normalises the networks' neighbour sums)."""
    return float(sum(g.edge_index.shape[1] for g in graphs) / sum(int(g.n_atoms) for g in graphs))


@dataclass
class TrainedPotential:
    """A trained potential, its saved config and the fit history."""

    potential: Potential
    config: dict[str, Any]
    result: FitResult
    train_seconds: float


def train_potential(
    kind: str,
    train_structures: Sequence[Atoms],
    val_structures: Sequence[Atoms],
    *,
    cutoff: float,
    hyper: dict[str, Any],
    fit_config: FitConfig,
    energy_weight: float = 1.0,
    force_weight: float = 1.0,
    lr_decay: float = 0.01,
    out_dir: str | os.PathLike[str] | None = None,
    resume: bool = False,
) -> TrainedPotential:
    """Fit per-element references by least squares, then train the network on energies and forces.

    Parameters
    ----------
    kind : "invariant" or "equivariant".
    train_structures, val_structures : labelled structures (energy + forces).
    cutoff : graph cutoff (A).
    hyper : network settings (see `InvariantNetwork` / `EquivariantNetwork`).
    fit_config : epochs, batch size, learning rate, seed, device, ...
    energy_weight, force_weight : loss weights (see `energy_force_loss`).
    lr_decay : cosine schedule from lr to lr * lr_decay over max_epochs.
    out_dir : checkpoint + metrics.csv folder (resumable).
    """
    if not train_structures or not val_structures:
        raise ConfigError("crystals.n_train", "training and validation sets must not be empty")
    elements = sorted({s for atoms in train_structures for s in atoms.get_chemical_symbols()})
    unseen = sorted({s for atoms in val_structures for s in atoms.get_chemical_symbols()} - set(elements))
    if unseen:
        raise ConfigError("crystals.n_train", f"validation elements {unseen} never occur in the training set")
    references = fit_reference_energies(train_structures, elements)
    counts = composition_matrix(train_structures, elements)
    residual = np.array([energy_of(a) for a in train_structures]) - counts @ references
    force_rms = float(np.sqrt(np.mean(np.concatenate([forces_of(a).ravel() for a in train_structures]) ** 2)))
    # Scale the network output by the force RMS (an energy per A, ~ the energy change per atom per A);
    # fall back to the residual energy spread for force-free data.
    energy_scale = force_rms if force_rms > 0 else float(np.std(residual / counts.sum(1))) or 1.0
    train_graphs = [atoms_to_graph(a, cutoff) for a in train_structures]
    val_graphs = [atoms_to_graph(a, cutoff) for a in val_structures]
    avg_neighbors = max(average_num_neighbors(train_graphs), 1.0)
    torch.manual_seed(fit_config.seed)
    potential = build_potential(kind, elements, references.tolist(), energy_scale, cutoff, avg_neighbors, hyper)
    started = time.perf_counter()
    result = fit(
        potential,
        train_graphs,
        lambda model, batch: energy_force_loss(model, batch, energy_weight, force_weight),
        fit_config,
        val_set=val_graphs,
        evaluate_fn=energy_force_errors,
        out_dir=out_dir,
        resume=resume,
        scheduler_fn=lambda opt: torch.optim.lr_scheduler.CosineAnnealingLR(
            opt, T_max=fit_config.max_epochs, eta_min=fit_config.lr * lr_decay),
        collate_fn=collate,
    )
    seconds = time.perf_counter() - started
    potential = potential.cpu().eval()
    return TrainedPotential(potential, model_config(kind, potential, avg_neighbors, hyper), result, seconds)
