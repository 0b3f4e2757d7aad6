"""Figures: parity plots of predicted vs reference labels, learning curves, committee spread vs error."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from ase import Atoms

from sciml.crystals.evaluate import Predictions
from sciml.crystals.io import energy_of, forces_of
from sciml.files import atomic_path

if TYPE_CHECKING:
    import matplotlib.figure


def _figure_module():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig: matplotlib.figure.Figure, path: str | os.PathLike[str]) -> Path:
    """Lay out `fig`, write it to `path` as PNG (atomically) and close it."""
    fig.tight_layout()
    with atomic_path(path) as staged:
        fig.savefig(staged, format="png", dpi=110)
    _figure_module().close(fig)
    return Path(path)


def parity_plot(path: str | os.PathLike[str], structures: Sequence[Atoms], predictions: Predictions,
                title: str) -> Path:
    """Two panels: energy per atom and force components (eV/A), reference vs predicted.

    Args:
        path: the PNG to write (atomically).
        structures: the labelled structures.
        predictions: their predictions (`sciml.crystals.evaluate.predict`).
        title: the figure title.
    """
    plt = _figure_module()
    n = np.array([len(a) for a in structures], dtype=float)
    true_e = np.array([energy_of(a) for a in structures]) / n
    pred_e = predictions.energies / n
    true_f = np.concatenate([forces_of(a).ravel() for a in structures])
    pred_f = np.concatenate([f.ravel() for f in predictions.forces])
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.2))
    for ax, x, y, label in ((axes[0], true_e, pred_e, "energy (eV/atom)"), (axes[1], true_f, pred_f, "force component (eV/A)")):
        lo, hi = float(min(x.min(), y.min())), float(max(x.max(), y.max()))
        ax.plot([lo, hi], [lo, hi], color="0.6", lw=1)
        ax.scatter(x, y, s=3, alpha=0.4, rasterized=True)
        mae = np.mean(np.abs(x - y)) * 1000
        unit = "meV/atom" if "energy" in label else "meV/A"
        ax.set(xlabel=f"reference {label}", ylabel=f"predicted {label}", title=f"MAE {mae:.1f} {unit}")
    fig.suptitle(title)
    return _save(fig, path)


def learning_curve_plot(path: str | os.PathLike[str], curve: pd.DataFrame) -> Path:
    """Log-log test MAE vs training-set size, one line per (family, model).

    Args:
        path: the PNG to write (atomically).
        curve: columns family, model, n_train, energy_mae_mev_per_atom, force_mae_mev_per_A.
    """
    plt = _figure_module()
    fig, axes = plt.subplots(1, 2, figsize=(9, 4))
    for (family, model), rows in curve.groupby(["family", "model"], sort=True):
        rows = rows.sort_values("n_train")
        style = "-" if model == "equivariant" else "--"
        for ax, key in zip(axes, ("energy_mae_mev_per_atom", "force_mae_mev_per_A"), strict=True):
            ax.plot(rows["n_train"], rows[key], style, marker="o", label=f"{family} {model}")
    axes[0].set(xscale="log", yscale="log", xlabel="training structures", ylabel="energy MAE (meV/atom)")
    axes[1].set(xscale="log", yscale="log", xlabel="training structures", ylabel="force MAE (meV/A)")
    axes[1].legend(fontsize=8)
    return _save(fig, path)


def uncertainty_plot(path: str | os.PathLike[str], errors: dict[str, np.ndarray], title: str) -> Path:
    """Two log-log panels: a committee's energy spread vs its energy error per structure, and its
    force spread vs the force-error norm per atom.

    Args:
        path: the PNG to write (atomically).
        errors: `sciml.crystals.evaluate.committee_errors` (eV per atom, eV/A).
        title: the figure title.
    """
    plt = _figure_module()
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.2))
    panels = ((axes[0], errors["energy_std"], errors["energy_error"], "energy (meV/atom), per structure"),
              (axes[1], errors["forces_std"], errors["force_error"], "force (meV/A), per atom"))
    for ax, spread, error, label in panels:
        # atoms whose forces vanish by symmetry have spread and error ~0: drawn at a floor of 1 % of the median
        x, y = 1000 * np.asarray(spread), 1000 * np.asarray(error)
        floor = 0.01 * float(np.median(np.concatenate([x, y]))) or 1e-6
        x, y = np.maximum(x, floor), np.maximum(y, floor)
        ax.scatter(x, y, s=4, alpha=0.4, rasterized=True)
        lo, hi = float(min(x.min(), y.min())), float(max(x.max(), y.max()))
        ax.plot([lo, hi], [lo, hi], color="0.6", lw=1)
        ax.set(xscale="log", yscale="log", xlabel=f"committee spread {label}", ylabel="error of the committee mean")
    fig.suptitle(title)
    return _save(fig, path)
