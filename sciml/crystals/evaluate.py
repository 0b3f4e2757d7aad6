"""Batched prediction and held-out error metrics of a potential."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from ase import Atoms
from tqdm.auto import tqdm

from sciml.crystals.graphs import atoms_to_graph, collate
from sciml.crystals.potential import Potential
from sciml.crystals.structures import energy_of, forces_of


@dataclass
class Predictions:
    """Per-structure energies (S,) eV, forces list of (N_s, 3) eV/A, and throughput."""

    energies: np.ndarray
    forces: list[np.ndarray]
    atoms_per_s: float


def predict(potential: Potential, structures: Sequence[Atoms], batch_size: int = 16,
            device: str | torch.device = "cpu") -> Predictions:
    """Energies and forces of `structures` in batches of bounded size.

    The throughput counts the model's forward + backward only (graph construction excluded).
    """
    dtype = next(potential.parameters()).dtype
    potential = potential.to(device).eval()
    energies: list[float] = []
    forces: list[np.ndarray] = []
    model_seconds, n_atoms = 0.0, 0
    for start in tqdm(range(0, len(structures), batch_size), desc="predict", disable=None):
        chunk = structures[start:start + batch_size]
        batch = collate([atoms_to_graph(a, potential.cutoff, dtype, labels=False) for a in chunk]).to(device)
        began = time.perf_counter()
        out = potential(batch)
        if isinstance(device, torch.device) and device.type == "cuda" or str(device).startswith("cuda"):
            torch.cuda.synchronize()
        model_seconds += time.perf_counter() - began
        n_atoms += int(batch.num_nodes)
        energies += out.energy.cpu().double().tolist()
        split = torch.split(out.forces.cpu().double(), [len(a) for a in chunk])
        forces += [f.numpy() for f in split]
    return Predictions(np.array(energies), forces, n_atoms / max(model_seconds, 1e-12))


def error_metrics(structures: Sequence[Atoms], predictions: Predictions) -> dict[str, float]:
    """MAE and RMSE of energy per atom (meV/atom) and force components (meV/A), plus label spreads."""
    n = np.array([len(a) for a in structures], dtype=float)
    true_e = np.array([energy_of(a) for a in structures]) / n
    pred_e = predictions.energies / n
    true_f = np.concatenate([forces_of(a).ravel() for a in structures])
    pred_f = np.concatenate([f.ravel() for f in predictions.forces])
    return {
        "energy_mae_mev_per_atom": 1000 * float(np.mean(np.abs(pred_e - true_e))),
        "energy_rmse_mev_per_atom": 1000 * float(np.sqrt(np.mean((pred_e - true_e) ** 2))),
        "force_mae_mev_per_A": 1000 * float(np.mean(np.abs(pred_f - true_f))),
        "force_rmse_mev_per_A": 1000 * float(np.sqrt(np.mean((pred_f - true_f) ** 2))),
        "energy_std_mev_per_atom": 1000 * float(np.std(true_e)),
        "force_std_mev_per_A": 1000 * float(np.std(true_f)),
        "n_structures": len(structures),
    }
