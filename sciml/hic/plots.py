"""Figures: side-by-side heatmaps of truth / noisy / each method, and per-distance correlation curves."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from sciml.files import atomic_path


def heatmaps(panels: Mapping[str, np.ndarray], path: str | os.PathLike[str], title: str = "") -> Path:
    """One log-scaled heatmap per panel (name -> (n, n) map), each with its own colour range."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(panels), figsize=(2.6 * len(panels), 2.9), squeeze=False)
    for ax, (name, m) in zip(axes[0], panels.items(), strict=True):
        shown = np.log1p(m / max(np.quantile(m[m > 0], 0.5), 1e-12)) if (m > 0).any() else m
        ax.imshow(shown, cmap="Reds", vmin=0, vmax=np.quantile(shown, 0.995) or 1, interpolation="nearest")
        ax.set_title(name, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    with atomic_path(path) as staged:
        fig.savefig(staged, dpi=110, format=Path(path).suffix.lstrip(".") or "png")
    plt.close(fig)
    return Path(path)


def distance_curves(table: pd.DataFrame, path: str | os.PathLike[str], title: str = "") -> Path:
    """Pearson correlation vs genomic distance, one line per method (columns method, distance_bp, pearson)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    for method, rows in table.groupby("method", sort=True):
        ax.plot(rows["distance_bp"] / 1e3, rows["pearson"], label=method, lw=1.4)
    ax.set_xlabel("genomic distance (kb)")
    ax.set_ylabel("Pearson r vs truth")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    with atomic_path(path) as staged:
        fig.savefig(staged, dpi=110, format=Path(path).suffix.lstrip(".") or "png")
    plt.close(fig)
    return Path(path)
