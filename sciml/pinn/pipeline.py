"""End-to-end PINN runs the CLI and the workflow call: fit, score and save a model; evaluate; predict; collect metrics."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from sciml import models
from sciml.errors import InputError
from sciml.files import atomic_path
from sciml.pinn.evaluate import (
    SCATTERED,
    grid_error,
    reference_grid,
    reference_points,
    scattered_error,
)
from sciml.pinn.inverse import coefficient_errors, sample_observations
from sciml.pinn.models import DTYPES, PINN, build_pinn, load_model, model_problem, save_pinn
from sciml.pinn.pde import PDE
from sciml.pinn.problems import BURGERS_NU, PROBLEMS, burgers_inverse
from sciml.pinn.reference import load_burgers_reference
from sciml.pinn.settings import (
    DATASETS,
    FORWARD,
    InverseSettings,
    NetworkSettings,
    PINNTrainConfig,
    TrainSettings,
)
from sciml.pinn.symmetry import parse_symmetry
from sciml.pinn.training import LOSS_CSV, Monitor, train_pinn
from sciml.provenance import write_metrics

PathLike = str | os.PathLike[str]


def _fit_and_save(pde: PDE, pde_options: dict[str, Any], network: NetworkSettings, train: PINNTrainConfig,
                  out: PathLike, finish: Callable[[PINN], dict[str, Any]], checkpoint_dir: PathLike | None,
                  resume: bool, monitor: Monitor | None = None) -> dict[str, Any]:
    """Train, score with `finish(model) -> metrics`, save the model folder with `losses.csv`, atomically."""
    model = build_pinn(pde, network, DTYPES[train.dtype], seed=train.seed)
    work = Path(checkpoint_dir) if checkpoint_dir is not None else Path(f"{out}.ckpt")
    result = train_pinn(pde, model, train, out_dir=work, resume=resume, monitor=monitor)
    metrics = finish(model)
    metrics.update(seconds=result.seconds, steps=result.steps, final_loss=result.final_loss)
    with atomic_path(out) as staged:
        save_pinn(staged, model, pde, pde_options=pde_options, network=network, train=train, metrics=metrics)
        shutil.copy(work / LOSS_CSV, staged / LOSS_CSV)
    shutil.rmtree(work, ignore_errors=True)
    return metrics


def train_problem(settings: TrainSettings, out: PathLike, *, data: PathLike | None = None,
                  checkpoint_dir: PathLike | None = None, resume: bool = False,
                  device: str | None = None, monitor: Monitor | None = None) -> dict[str, Any]:
    """Train a PINN on a ready-made forward problem, score it against its reference, save the model folder.

    Args:
        settings: the problem, network and training settings.
        out: model folder to write (`model.safetensors`, `config.json`, `metrics.json`, `losses.csv`).
        data: the problem's fetched data folder: `pinn-reference` (needed for Allen-Cahn; Burgers falls back to
            Cole-Hopf) or `pinn-benchmarks` (the PINNacle problems).
        checkpoint_dir: where the run checkpoints (default `<out>.ckpt`); removed after success.
        resume: continue from the checkpoint when it belongs to this run.
        device: overrides `settings.train.device`.
        monitor: `model -> {name: value}` at every log point (e.g. the error on validation nodes); its values go
            into `losses.csv`.

    Returns:
        The metrics: `rel_l2` on the reference (grid; or PINNacle's L2RE over all fields at the reference
        nodes, with `rel_l2_<field>` per field), `seconds`, `steps`, `final_loss`.
    """
    train = settings.train if device is None else dataclasses.replace(settings.train, device=device)
    pde_options = {"hard_constraints": settings.hard_constraints, "seed": train.seed}
    pde = PROBLEMS[settings.pde](**pde_options)
    pde = dataclasses.replace(pde, symmetry=parse_symmetry(settings.symmetry, pde.domain))
    return _fit_and_save(pde, pde_options, settings.network, train, out, _scorer(settings.pde, data),
                         checkpoint_dir, resume, monitor)


def _scorer(problem: str, data: PathLike | None) -> Callable[[PINN], dict[str, Any]]:
    """model -> metrics against the problem's reference, read now (so a missing reference fails before training)."""
    if problem in SCATTERED:
        nodes = reference_points(problem, data)
        return lambda model: scattered_error(model, nodes)
    grid = reference_grid(problem, data)
    return lambda model: {"rel_l2": grid_error(model, grid)}


def train_inverse(settings: InverseSettings, data: PathLike, out: PathLike, *,
                  checkpoint_dir: PathLike | None = None, resume: bool = False,
                  device: str | None = None) -> dict[str, Any]:
    """Identify Burgers' lambda1 and lambda2 from observations of the reference solution; save the model folder.

    Args:
        settings: observations, network and training settings.
        data: fetched `pinn-reference` folder (`burgers_shock.mat`).
        out: model folder to write.
        checkpoint_dir: where the run checkpoints (default `<out>.ckpt`).
        resume: continue from the checkpoint when it belongs to this run.
        device: overrides `settings.train.device`.

    Returns:
        The metrics: identified coefficients and their relative errors, `rel_l2` of the field,
        `noise`, `n_observations`, `seconds`, `steps`, `final_loss`.
    """
    train = settings.train if device is None else dataclasses.replace(settings.train, device=device)
    x, t, u = load_burgers_reference(data)
    points, values = sample_observations(x, t, u, settings.n_observations, settings.noise, seed=train.seed)
    pde = burgers_inverse(points, values)
    grid = reference_grid("burgers", data)

    def finish(model: PINN) -> dict[str, Any]:
        coef = {k: float(v.detach()) for k, v in model.pde_params().items()}
        out = coefficient_errors(coef["lambda1"], math.exp(coef["log_lambda2"]), 1.0, BURGERS_NU)
        out.update(rel_l2=grid_error(model, grid), noise=settings.noise, n_observations=int(len(np.asarray(values))))
        return out

    return _fit_and_save(pde, {}, settings.network, train, out, finish, checkpoint_dir, resume)


def evaluate_model(model_dir: PathLike, data: PathLike | None = None, device: str = "cpu") -> dict[str, Any]:
    """Relative L2 error of a saved model against its problem's reference, and its PDE coefficients."""
    model = load_model(model_dir, device)
    problem = model_problem(model_dir)
    result: dict[str, Any] = {"pde": problem}
    if problem in FORWARD or problem == "burgers_inverse":
        result.update(_scorer(problem.removesuffix("_inverse"), data)(model))
    coef = {k: float(v.detach()) for k, v in model.pde_params().items()}
    if "log_lambda2" in coef:
        coef["lambda2"] = math.exp(coef["log_lambda2"])
    result.update(coef)
    return result


def predict_points(model_dir: PathLike, points: PathLike, out: PathLike, device: str = "cpu") -> None:
    """Evaluate u at the points of a TSV whose header names the coordinates; write the table with a `u` column.

    Raises:
        InputError: the TSV is not numeric or has the wrong number of columns.
    """
    names = models.read_model_config(model_dir).settings["domain"]["names"]
    try:
        table = np.loadtxt(points, delimiter="\t", ndmin=2, skiprows=1)
    except ValueError as exc:
        raise InputError(points, f"not a numeric TSV with a header row ({exc})") from None
    if table.shape[1] != len(names):
        raise InputError(points, f"{table.shape[1]} columns, the model needs {len(names)} ({', '.join(names)})")
    model = load_model(model_dir, device)
    u = model.predict(torch.as_tensor(table, dtype=next(model.parameters()).dtype)).numpy().ravel()
    with atomic_path(out) as staged:
        np.savetxt(staged, np.column_stack([table, u]), delimiter="\t", header="\t".join([*names, "u"]),
                   comments="", fmt="%.10g")


def collect_metrics(model_dirs: Sequence[PathLike], out: PathLike, seed: int = 0) -> None:
    """Gather the models' `metrics.json` and settings into one metrics file with provenance."""
    metrics: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    for model_dir in model_dirs:
        path = Path(model_dir) / "metrics.json"
        if not path.is_file():
            raise InputError(model_dir, "model directory has no metrics.json")
        name = Path(model_dir).name
        metrics[name] = json.loads(path.read_text())
        config = models.read_model_config(model_dir)
        settings[name] = {"settings": config.settings, "extra": config.extra}
    problems = {str(s["settings"].get("pde", "")).removesuffix("_inverse") for s in settings.values()}
    datasets = sorted({DATASETS.get(p, "pinn-reference") for p in problems})
    write_metrics(out, metrics, settings=settings, seed=seed, datasets=datasets)
