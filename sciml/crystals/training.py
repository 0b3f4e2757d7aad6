"""Training potentials on energies and forces with the shared fit loop."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from ase import Atoms
from torch.utils.data import DataLoader

from sciml.crystals.graphs import atoms_to_graph, collate
from sciml.crystals.io import energy_of, forces_of, stress_of
from sciml.crystals.models import build_potential, save_potential
from sciml.crystals.potential import Potential
from sciml.crystals.references import composition_matrix, fit_reference_energies
from sciml.crystals.settings import TrainSettings
from sciml.errors import ConfigError
from sciml.train import FitConfig, FitResult, fit, move_to_device


def energy_force_loss(model: Potential, batch, energy_weight: float, force_weight: float,
                      stress_weight: float = 0.0) -> torch.Tensor:
    """energy_weight * MSE(E/atom) [eV^2] + force_weight * MSE(F components) [(eV/A)^2]
    (+ stress_weight * MSE(virial/atom components) [eV^2], the stress error times the volume per
    atom, so that it is on the scale of the per-atom energy; needs `batch.stress`)."""
    prediction = model(batch, stress=stress_weight > 0)
    energy_error = (prediction.energy - batch.energy) / batch.n_atoms
    loss = energy_weight * energy_error.pow(2).mean() + force_weight * (prediction.forces - batch.forces).pow(2).mean()
    if stress_weight > 0:
        volume_per_atom = torch.linalg.det(batch.cell).abs() / batch.n_atoms
        virial_error = (prediction.stress - batch.stress) * volume_per_atom.view(-1, 1, 1)
        loss = loss + stress_weight * virial_error.pow(2).mean()
    return loss


def energy_force_errors(model: Potential, loader: DataLoader) -> dict[str, float]:
    """Validation MAEs: val_energy_mae_mev_per_atom, val_force_mae_mev_per_A (and, when the graphs
    carry stresses, val_stress_mae_mev_per_A3). An empty loader is a `ConfigError` (no errors to average)."""
    if len(loader) == 0:
        raise ConfigError("crystals.n_val", "the validation set is empty: no errors to measure")
    device = next(model.parameters()).device
    energy_abs, force_abs, stress_abs, n_structures, n_components, n_stressed = 0.0, 0.0, 0.0, 0, 0, 0
    for batch in loader:
        batch = move_to_device(batch, device)
        with_stress = getattr(batch, "stress", None) is not None
        prediction = model(batch, stress=with_stress)
        energy_abs += float(((prediction.energy - batch.energy) / batch.n_atoms).abs().sum())
        force_abs += float((prediction.forces - batch.forces).abs().sum())
        if with_stress:
            stress_abs += float((prediction.stress - batch.stress).abs().mean(dim=(1, 2)).sum())
            n_stressed += int(batch.num_graphs)
        n_structures += int(batch.num_graphs)
        n_components += batch.forces.numel()
    errors = {"val_energy_mae_mev_per_atom": 1000 * energy_abs / n_structures,
              "val_force_mae_mev_per_A": 1000 * force_abs / n_components}
    if n_stressed:
        errors["val_stress_mae_mev_per_A3"] = 1000 * stress_abs / n_stressed
    return errors


def warmup_cosine(optimizer: torch.optim.Optimizer, max_epochs: int, warmup_epochs: int,
                  final_fraction: float) -> torch.optim.lr_scheduler.LRScheduler:
    """Learning-rate schedule stepped once per epoch: linear warm-up over `warmup_epochs` epochs
    (from lr / (warmup_epochs + 1) to lr), then cosine decay to lr * `final_fraction` at `max_epochs`
    (torch's `LinearLR` then `CosineAnnealingLR`, chained by `SequentialLR`)."""
    lr = optimizer.param_groups[0]["lr"]
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max(max_epochs - warmup_epochs, 1),
                                                        eta_min=lr * final_fraction)
    if warmup_epochs == 0:
        return cosine
    warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1 / (warmup_epochs + 1), end_factor=1.0,
                                               total_iters=warmup_epochs)
    return torch.optim.lr_scheduler.SequentialLR(optimizer, [warmup, cosine], milestones=[warmup_epochs])


def stage_two_start(max_epochs: int, fraction: float) -> int:
    """First epoch (1-based) of the final `fraction` of `max_epochs` (MACE's "stage two"); max_epochs + 1
    (no stage two) for fraction 0."""
    if not 0.0 <= fraction < 1.0:
        raise ConfigError("crystals.stage_two_fraction", f"must be in [0, 1), got {fraction}")
    return max_epochs + 1 - round(fraction * max_epochs)


def epochs_for_steps(steps: int, n_train: int, batch_size: int) -> int:
    """Epochs that give at least `steps` optimiser steps on `n_train` structures in batches of
    `batch_size`, so that a small training set gets as many updates as a large one."""
    if steps < 1 or n_train < 1 or batch_size < 1:
        raise ConfigError("crystals.steps", f"steps, n_train and batch size must be >= 1, got {steps}, {n_train}, "
                          f"{batch_size}")
    return math.ceil(steps / math.ceil(n_train / batch_size))


def validation_interval(validate_steps: int, n_train: int, batch_size: int) -> int:
    """Epochs between validations so that about `validate_steps` optimiser steps pass between two
    (at least 1): a small training set, whose epochs are a few steps, is not validated after each."""
    if validate_steps < 1:
        raise ConfigError("crystals.validate_steps", f"must be >= 1, got {validate_steps}")
    return max(1, round(validate_steps / math.ceil(n_train / batch_size)))


def average_num_neighbors(graphs: Sequence) -> float:
    """Mean number of edges per atom over `graphs` (normalises the networks' neighbour sums)."""
    return float(sum(g.edge_index.shape[1] for g in graphs) / sum(int(g.n_atoms) for g in graphs))


def select_training(structures: Sequence[Atoms], n_train: int | None) -> list[Atoms]:
    """The first `n_train` structures (all for None): nested subsets for a learning curve.

    Raises:
        ConfigError: fewer structures than `n_train`.
    """
    if n_train is None:
        return list(structures)
    if n_train > len(structures):
        raise ConfigError("crystals.n_train", f"{n_train} training structures requested, {len(structures)} given")
    return list(structures[:n_train])


def fit_config(settings: TrainSettings, n_train: int, device: str = "auto") -> FitConfig:
    """The engine settings of a training run: the step budget in whole epochs, no early stopping."""
    epochs = epochs_for_steps(settings.steps, n_train, settings.batch_size)
    validate_every = (1 if settings.validate_steps is None
                      else validation_interval(settings.validate_steps, n_train, settings.batch_size))
    return FitConfig(max_epochs=epochs, batch_size=settings.batch_size, lr=settings.lr, patience=epochs,
                     grad_clip_norm=settings.grad_clip_norm, seed=settings.seed, device=device,
                     validate_every=validate_every)


@dataclass
class TrainedPotential:
    """A trained potential with what rebuilds it and the fit history.

    Attributes:
        potential: the trained potential (CPU, eval mode).
        settings: the training settings.
        avg_num_neighbors: mean neighbours per atom of the training graphs (the networks' normalisation).
        result: the engine's fit result (history, best epoch).
        train_seconds: wall time of the fit's epochs (summed over resumed sessions).
    """

    potential: Potential
    settings: TrainSettings
    avg_num_neighbors: float
    result: FitResult
    train_seconds: float

    def metrics(self, n_val: int) -> dict[str, Any]:
        """Training metrics: sizes, epochs, best epoch, wall time and the best epoch's validation errors."""
        best = self.result.history[self.result.best_epoch - 1]
        return {"n_train": self.settings.n_train, "n_val": n_val, "epochs": self.result.epochs_run,
                "best_epoch": self.result.best_epoch, "train_seconds": self.train_seconds,
                **{k: v for k, v in best.items() if k.startswith("val_")}}

    def save(self, directory: str | os.PathLike[str], metrics: dict[str, Any] | None = None) -> Path:
        """Write the model folder (see `sciml.crystals.models.save_potential`)."""
        return save_potential(directory, self.potential, self.settings.model, self.settings.network,
                              self.avg_num_neighbors, metrics)


def train_potential(
    train_structures: Sequence[Atoms],
    val_structures: Sequence[Atoms],
    settings: TrainSettings,
    *,
    device: str = "auto",
    out_dir: str | os.PathLike[str] | None = None,
    resume: bool = False,
) -> TrainedPotential:
    """Fit per-element references by least squares, then train the network on energies and forces.

    The step budget becomes whole epochs (`epochs_for_steps`); the model of the best validated
    epoch is kept. A MACE-style stage two (`settings.stage_two_fraction`) trains the last epochs,
    at the low learning rates of the cosine's tail, with `settings.stage_two_energy_weight`; the
    validation loss then uses that weight in every epoch, so the epochs are compared on one objective.

    Args:
        train_structures: labelled structures (energy + forces; stresses with a positive stress
            weight); the first `settings.n_train` are used.
        val_structures: labelled validation structures.
        settings: model, network, cutoff, budget, learning-rate schedule, loss weights and seed.
        device: "auto", "cpu", "cuda" or "cuda:N".
        out_dir: checkpoint + metrics.csv folder (resumable).
        resume: continue from the checkpoint in `out_dir`.

    Returns:
        The trained potential, its settings (with the number of structures used) and the history.

    Raises:
        ConfigError: empty sets, validation elements unseen in training, or missing stress labels.
    """
    train_structures = select_training(train_structures, settings.n_train)
    settings = replace(settings, n_train=len(train_structures))
    if not train_structures or not val_structures:
        raise ConfigError("crystals.n_train", "training and validation sets must not be empty")
    config = fit_config(settings, len(train_structures), device)
    elements = sorted({s for atoms in train_structures for s in atoms.get_chemical_symbols()})
    unseen = sorted({s for atoms in val_structures for s in atoms.get_chemical_symbols()} - set(elements))
    if unseen:
        raise ConfigError("crystals.n_train", f"validation elements {unseen} never occur in the training set")
    stress_weight = settings.stress_weight
    if stress_weight > 0:
        for name, structures in (("training", train_structures), ("validation", val_structures)):
            missing = [k for k, atoms in enumerate(structures) if stress_of(atoms) is None]
            if missing:
                raise ConfigError("crystals.stress_weight", f"{len(missing)} {name} structures (first: index "
                                  f"{missing[0]}) carry no stress; set the stress weight to 0")
    references = fit_reference_energies(train_structures, elements)
    counts = composition_matrix(train_structures, elements)
    residual = np.array([energy_of(a) for a in train_structures]) - counts @ references
    force_rms = float(np.sqrt(np.mean(np.concatenate([forces_of(a).ravel() for a in train_structures]) ** 2)))
    # Scale the network output by the force RMS (an energy per A, ~ the energy change per atom per A);
    # fall back to the residual energy spread for force-free data.
    energy_scale = force_rms if force_rms > 0 else float(np.std(residual / counts.sum(1))) or 1.0
    with_stress = stress_weight > 0
    cutoff = settings.cutoff
    train_graphs = [atoms_to_graph(a, cutoff, stress=with_stress) for a in train_structures]
    val_graphs = [atoms_to_graph(a, cutoff, stress=with_stress) for a in val_structures]
    avg_neighbors = max(average_num_neighbors(train_graphs), 1.0)
    torch.manual_seed(settings.seed)
    potential = build_potential(settings.model, elements, references.tolist(), energy_scale, cutoff, avg_neighbors,
                                settings.network)
    energy_weight, force_weight = settings.energy_weight, settings.force_weight
    final_weight = energy_weight if settings.stage_two_energy_weight is None else settings.stage_two_energy_weight
    first_stage_two_epoch = stage_two_start(config.max_epochs, settings.stage_two_fraction
                                            if final_weight != energy_weight else 0.0)
    schedulers: list[torch.optim.lr_scheduler.LRScheduler] = []

    def make_scheduler(optimizer: torch.optim.Optimizer) -> torch.optim.lr_scheduler.LRScheduler:
        schedulers.append(warmup_cosine(optimizer, config.max_epochs, settings.warmup_epochs, settings.lr_decay))
        return schedulers[-1]

    def loss_fn(model: Potential, batch) -> torch.Tensor:
        # the scheduler counts finished epochs (and is restored on resume): epoch = last_epoch + 1
        in_stage_two = schedulers[-1].last_epoch + 1 >= first_stage_two_epoch
        weight = final_weight if in_stage_two or not model.training else energy_weight
        return energy_force_loss(model, batch, weight, force_weight, stress_weight)

    started = time.perf_counter()
    result = fit(
        potential,
        train_graphs,
        loss_fn,
        config,
        val_set=val_graphs,
        evaluate_fn=energy_force_errors,
        out_dir=out_dir,
        resume=resume,
        scheduler_fn=make_scheduler,
        collate_fn=collate,
    )
    # the sum of the epochs' wall times: a resumed run counts the epochs of every session, once
    seconds = float(sum(row.get("seconds", 0.0) for row in result.history)) or time.perf_counter() - started
    return TrainedPotential(potential.cpu().eval(), settings, avg_neighbors, result, seconds)
