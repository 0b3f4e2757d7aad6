"""Batched prediction, held-out error metrics and physics checks of a potential; the learning-curve summary."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import torch
from ase import Atoms
from tqdm.auto import tqdm

from sciml.crystals.graphs import atoms_to_graph, collate
from sciml.crystals.io import config_type_of, energy_of, forces_of, stress_of
from sciml.crystals.potential import Potential
from sciml.crystals.settings import EvaluateSettings
from sciml.errors import InputError


@dataclass
class Predictions:
    """Predicted energies and forces of S structures, and the throughput.

    Attributes:
        energies: (S,) eV per structure.
        forces: S arrays of shape (N_s, 3), eV/A.
        atoms_per_s: atoms per second of the model's forward + backward.
    """

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


def group_errors(structures: Sequence[Atoms], predictions: Predictions) -> dict[str, dict[str, float]]:
    """Energy and force MAE/RMSE per group (`info["config_type"]`; "all" for structures without one)."""
    groups: dict[str, list[int]] = {}
    for index, atoms in enumerate(structures):
        groups.setdefault(config_type_of(atoms), []).append(index)
    out = {}
    for name, indices in sorted(groups.items()):
        chosen = Predictions(predictions.energies[indices], [predictions.forces[i] for i in indices], 0.0)
        metrics = error_metrics([structures[i] for i in indices], chosen)
        out[name] = {k: metrics[k] for k in ("energy_mae_mev_per_atom", "force_mae_mev_per_A", "n_structures")}
    return out


def baseline_errors(potential: Potential, structures: Sequence[Atoms]) -> dict[str, float]:
    """Errors of the baseline without a network: the potential's per-element reference energies
    (least squares on its training set) as the energy, zero forces.

    Returns:
        `baseline_energy_mae_mev_per_atom`, `baseline_force_mae_mev_per_A`.
    """
    references = dict(zip(potential.elements, potential.reference_energies.double().cpu().tolist(), strict=True))
    energies = np.array([sum(references[s] for s in a.get_chemical_symbols()) for a in structures])
    zero = Predictions(energies, [np.zeros((len(a), 3)) for a in structures], 0.0)
    metrics = error_metrics(structures, zero)
    return {"baseline_energy_mae_mev_per_atom": metrics["energy_mae_mev_per_atom"],
            "baseline_force_mae_mev_per_A": metrics["force_mae_mev_per_A"]}


def stress_errors(potential: Potential, structures: Sequence[Atoms], batch_size: int = 16,
                  device: str | torch.device = "cpu") -> dict[str, float]:
    """Stress MAE (meV/A^3, over the 9 components) on the structures that carry a reference stress;
    empty when none does."""
    labelled = [a for a in structures if stress_of(a) is not None and abs(a.cell.volume) > 1e-8 and a.pbc.all()]
    if not labelled:
        return {}
    dtype = next(potential.parameters()).dtype
    potential = potential.to(device).eval()
    errors = []
    for start in range(0, len(labelled), batch_size):
        chunk = labelled[start:start + batch_size]
        batch = collate([atoms_to_graph(a, potential.cutoff, dtype, labels=False) for a in chunk]).to(device)
        predicted = potential(batch, stress=True).stress.cpu().double().numpy()
        errors += [np.abs(p - stress_of(a)).mean() for p, a in zip(predicted, chunk, strict=True)]
    return {"stress_mae_mev_per_A3": 1000 * float(np.mean(errors)), "n_stress_structures": len(labelled)}


def evaluate_potential(potential: Potential, structures: Sequence[Atoms], settings: EvaluateSettings,
                       device: str | torch.device = "cpu") -> tuple[dict[str, Any], Predictions]:
    """Held-out errors, inference throughput and float64 physics checks of a potential.

    Args:
        potential: the potential (moved to `device` for the predictions, back to the CPU after).
        structures: labelled test structures.
        settings: batch size, number of structures for the physics checks, their seed.
        device: where the predictions run.

    Returns:
        The metrics (`error_metrics`, `baseline_errors`, `stress_errors`, per-group errors under
        `groups`, `inference_atoms_per_s` and `physics_report` on the first `settings.n_physics`
        structures) and the predictions.
    """
    from sciml.crystals.physics import physics_report

    predictions = predict(potential, structures, settings.batch_size, device)
    potential = potential.cpu()
    metrics: dict[str, Any] = {
        **error_metrics(structures, predictions), **baseline_errors(potential, structures),
        **stress_errors(potential, structures, settings.batch_size, device),
        "groups": group_errors(structures, predictions), "inference_atoms_per_s": predictions.atoms_per_s,
        **physics_report(potential.cpu(), list(structures[: settings.n_physics]), seed=settings.seed),
    }
    return metrics, predictions


#: The evaluation entries of each (family, model) that `summarise` copies into metrics.json.
REPORTED_METRICS: tuple[str, ...] = (
    "energy_mae_mev_per_atom", "force_mae_mev_per_A", "energy_rmse_mev_per_atom", "force_rmse_mev_per_A",
    "train_seconds", "inference_atoms_per_s", "equivariance_error", "permutation_error", "translation_error",
    "supercell_error_mev_per_atom", "energy_std_mev_per_atom", "force_std_mev_per_A", "n_structures",
)


def summarise(evaluations: Mapping[tuple[str, str, int], Mapping[str, Any]],
              n_train: int) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The learning curve and the headline metrics of a set of evaluations.

    Args:
        evaluations: (family, model, training-set size) -> the evaluation of that model
            (`evaluate_potential`'s metrics plus `n_train` and `train_seconds`).
        n_train: the main training-set size, whose evaluations become the headline metrics.

    Returns:
        The curve (columns family, model, n_train, energy_mae_mev_per_atom, force_mae_mev_per_A,
        sorted) and the metrics: `{family: {model: {...REPORTED_METRICS}}}`, `n_train` and the worst
        `equivariance_error` and `supercell_error_mev_per_atom` over the main models.

    Raises:
        InputError: no evaluation at `n_train`.
    """
    rows, metrics = [], {}
    for (family, model, size), result in evaluations.items():
        rows.append({"family": family, "model": model, "n_train": result["n_train"],
                     "energy_mae_mev_per_atom": result["energy_mae_mev_per_atom"],
                     "force_mae_mev_per_A": result["force_mae_mev_per_A"]})
        if size == n_train:
            metrics.setdefault(family, {})[model] = {k: result[k] for k in REPORTED_METRICS}
    if not metrics:
        raise InputError("evaluations", f"no evaluation at n_train={n_train}")
    curve = pd.DataFrame(rows).sort_values(["family", "model", "n_train"])
    flat = [m for fam in metrics.values() for m in fam.values()]
    metrics["n_train"] = n_train
    metrics["equivariance_error"] = max(m["equivariance_error"] for m in flat)
    metrics["supercell_error_mev_per_atom"] = max(m["supercell_error_mev_per_atom"] for m in flat)
    return curve, metrics


def committee_errors(calculator: Any, structures: Sequence[Atoms]) -> dict[str, np.ndarray]:
    """A committee's spread beside the actual errors of its mean, per structure and per atom.

    Args:
        calculator: a `sciml.crystals.Calculator` of a committee folder (gives `energy_std` and
            `forces_std`).
        structures: labelled structures (validation data).

    Returns:
        Arrays (eV, eV/A): `energy_error` and `energy_std` per atom of each structure (S,),
        `force_error` (norm of the force error) and `forces_std` per atom (N,), `force_abs_error`
        per force component (3N,), `structure` (N,): the structure index of every atom.

    Shapes:
        S structures, N atoms over all structures.
    """
    energy_error, energy_std, force_error, force_std, force_abs, owner = [], [], [], [], [], []
    for index, atoms in enumerate(tqdm(structures, desc="committee", disable=None)):
        copy = atoms.copy()
        copy.calc = calculator
        n = len(copy)
        energy_error.append(abs(copy.get_potential_energy() - energy_of(atoms)) / n)
        energy_std.append(calculator.results["energy_std"] / n)
        difference = copy.get_forces() - forces_of(atoms)
        force_error.append(np.linalg.norm(difference, axis=1))
        force_std.append(np.asarray(calculator.results["forces_std"]))
        force_abs.append(np.abs(difference).ravel())
        owner.append(np.full(n, index))
    return {"energy_error": np.array(energy_error), "energy_std": np.array(energy_std),
            "force_error": np.concatenate(force_error), "forces_std": np.concatenate(force_std),
            "force_abs_error": np.concatenate(force_abs), "structure": np.concatenate(owner)}


def uncertainty_ranking(errors: dict[str, np.ndarray], n_members: int) -> dict[str, float]:
    """How well a committee's spread ranks its actual errors (Spearman rank correlation).

    Args:
        errors: `committee_errors` of the committee on labelled structures.
        n_members: members of the committee (recorded).

    Returns:
        `energy_spearman` (per structure: |energy error| per atom vs energy_std per atom),
        `force_spearman` (per atom: norm of the force error vs forces_std),
        `structure_force_spearman` (per structure: mean force-error norm vs mean forces_std), the
        mean spreads (meV/atom, meV/A), the committee-mean energy and force-component MAEs, the
        number of members and of structures.
    """
    from scipy.stats import spearmanr

    owner = errors["structure"]
    n_structures = len(errors["energy_error"])
    per_structure = [(errors["force_error"][owner == k].mean(), errors["forces_std"][owner == k].mean())
                     for k in range(n_structures)]
    structure_error, structure_std = np.array(per_structure).T
    return {
        "energy_spearman": float(spearmanr(errors["energy_error"], errors["energy_std"]).statistic),
        "force_spearman": float(spearmanr(errors["force_error"], errors["forces_std"]).statistic),
        "structure_force_spearman": float(spearmanr(structure_error, structure_std).statistic),
        "mean_energy_std_mev_per_atom": 1000 * float(np.mean(errors["energy_std"])),
        "mean_forces_std_mev_per_A": 1000 * float(np.mean(errors["forces_std"])),
        "committee_energy_mae_mev_per_atom": 1000 * float(np.mean(errors["energy_error"])),
        "committee_force_mae_mev_per_A": 1000 * float(np.mean(errors["force_abs_error"])),
        "n_members": n_members,
        "n_structures": n_structures,
    }
