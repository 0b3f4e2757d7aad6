"""Figures: PINN / reference / error heatmaps with time snapshots, and loss curves per term."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np

from sciml.errors import InputError
from sciml.files import atomic_path
from sciml.pinn.evaluate import ReferenceGrid, predict_grid, predict_points
from sciml.pinn.models import PINN
from sciml.pinn.reference import ScatteredReference


def plot_solution(model: PINN, grid: ReferenceGrid, out: str | os.PathLike[str], title: str = "",
                  n_snapshots: int = 3) -> Path:
    """Heatmaps of the PINN field, the reference and |error| over `grid`, plus snapshots along axis 1."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pred = predict_grid(model, grid)
    err = np.abs(pred - grid.u)
    a0, a1 = grid.axes
    extent = (a1[0], a1[-1], a0[0], a0[-1])
    fig, axes = plt.subplots(2, max(3, n_snapshots), figsize=(4 * max(3, n_snapshots), 7), layout="constrained")
    for ax, field, name in zip(axes[0], (pred, grid.u, err), ("PINN", "reference", "|error|"), strict=False):
        im = ax.imshow(field, origin="lower", aspect="auto", extent=extent, cmap="magma" if name == "|error|" else "RdBu_r")
        ax.set(xlabel=grid.names[1], ylabel=grid.names[0], title=f"{title} {name}")
        fig.colorbar(im, ax=ax)
    for ax, j in zip(axes[1], np.linspace(0, len(a1) - 1, n_snapshots).round().astype(int), strict=False):
        ax.plot(a0, grid.u[:, j], "k-", lw=2, label="reference")
        ax.plot(a0, pred[:, j], "r--", lw=1.5, label="PINN")
        ax.set(xlabel=grid.names[0], ylabel="u", title=f"{grid.names[1]} = {a1[j]:.2f}")
        ax.legend()
    with atomic_path(out) as staged:
        fig.savefig(staged, dpi=110, format="png")
    plt.close(fig)
    return Path(out)


def plot_scattered(model: PINN, reference: ScatteredReference, out: str | os.PathLike[str], title: str = "") -> Path:
    """Per field: the PINN, the reference and |error| at the reference nodes (triangulated colour maps in 2-D;
    in more dimensions the PINN against the reference and |error| against the distance from the domain's centre)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pred = predict_points(model, reference.points)
    if reference.points.shape[1] > 2:
        return _plot_high_dimensional(pred, reference, out, title)
    x, y = reference.points[:, 0], reference.points[:, 1]
    rows = len(reference.fields)
    fig, axes = plt.subplots(rows, 3, figsize=(13, 3.8 * rows), layout="constrained", squeeze=False)
    for i, name in enumerate(reference.fields):
        fields = (pred[:, i], reference.values[:, i], np.abs(pred[:, i] - reference.values[:, i]))
        for ax, field, label in zip(axes[i], fields, ("PINN", "reference", "|error|"), strict=True):
            im = ax.tripcolor(x, y, field, shading="gouraud", cmap="magma" if label == "|error|" else "RdBu_r")
            ax.set(xlabel=reference.names[0], ylabel=reference.names[1], title=f"{title} {name}: {label}", aspect="equal")
            fig.colorbar(im, ax=ax)
    with atomic_path(out) as staged:
        fig.savefig(staged, dpi=110, format="png")
    plt.close(fig)
    return Path(out)


def _plot_high_dimensional(pred: np.ndarray, reference: ScatteredReference, out: str | os.PathLike[str],
                           title: str) -> Path:
    """Parity plot (PINN vs reference) and |error| against the distance from the nodes' centre, per field."""
    import matplotlib.pyplot as plt

    centre = 0.5 * (reference.points.min(0) + reference.points.max(0))
    radius = np.linalg.norm(reference.points - centre, axis=1)
    rows = len(reference.fields)
    fig, axes = plt.subplots(rows, 2, figsize=(10, 4 * rows), layout="constrained", squeeze=False)
    for i, name in enumerate(reference.fields):
        ref, got = reference.values[:, i], pred[:, i]
        axes[i, 0].plot(ref, got, ".", ms=1, alpha=0.3)
        axes[i, 0].plot([ref.min(), ref.max()], [ref.min(), ref.max()], "k-", lw=1)
        axes[i, 0].set(xlabel=f"reference {name}", ylabel=f"PINN {name}", title=f"{title} {name}: PINN vs reference")
        axes[i, 1].semilogy(radius, np.abs(got - ref) + 1e-300, ".", ms=1, alpha=0.3)
        axes[i, 1].set(xlabel=f"distance from the centre ({', '.join(reference.names)})", ylabel="|error|",
                       title=f"{title} {name}: |error| at {len(ref)} nodes")
    with atomic_path(out) as staged:
        fig.savefig(staged, dpi=110, format="png")
    plt.close(fig)
    return Path(out)


def plot_losses(losses_csv: str | os.PathLike[str], out: str | os.PathLike[str], title: str = "") -> Path:
    """Loss curves per term (log scale) against the step, with the Adam -> L-BFGS switch marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(losses_csv)
    if not path.is_file():
        raise InputError(path, "loss log not found")
    with path.open() as handle:
        rows = list(csv.DictReader(handle))
    if not rows or "step" not in rows[0]:
        raise InputError(path, "empty loss log or no 'step' column")
    steps = np.array([float(r["step"]) for r in rows])
    fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
    for column in [c for c in rows[0] if c.startswith("loss")]:
        values = np.array([float(r[column]) if r[column] else np.nan for r in rows])
        ax.semilogy(steps, values, label=column.removeprefix("loss_") if column != "loss" else "total (weighted)",
                    lw=2 if column == "loss" else 1)
    switch = next((float(r["step"]) for r in rows if r["phase"] != "adam"), None)
    if switch is not None:
        ax.axvline(switch, color="grey", ls=":", label="Adam -> L-BFGS")
    ax.set(xlabel="step", ylabel="mean squared loss", title=f"{title} training losses")
    ax.legend()
    with atomic_path(out) as staged:
        fig.savefig(staged, dpi=110, format="png")
    plt.close(fig)
    return Path(out)
