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


#: bar order of the real-map figure (methods not listed follow in name order)
REAL_METHOD_ORDER = ("raw", "ice", "ice_gauss", "hicplus", "deephic", "model_sim", "model")


def real_scores(cases: Mapping[str, Mapping[str, float]], path: str | os.PathLike[str], space: str = "raw") -> Path:
    """HiCRep SCC of every method on real maps against independent targets: one panel per case, one
    group of bars per target, the replicate ceiling as a black line over its group.

    Args:
        cases: case name -> metrics named `<target>_<space>_scc_h<h>_<max>kb_<method>`
            (`sciml.hic.realeval.read_cases`).
        path: the figure file (written atomically).
        space: 'raw' (outputs on the input's raw scale; `ice` equals `raw` there and is left out) or 'ice'.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sciml.hic.realeval import parse_score_key

    parsed = {name: [(p, v) for k, v in metrics.items() if (p := parse_score_key(k)) and p[1] == space]
              for name, metrics in cases.items()}
    methods = sorted({p[3] for rows in parsed.values() for p, _ in rows} - {"ceiling"} - ({"ice"} if space == "raw"
                                                                                       else set()),
                     key=lambda m: (REAL_METHOD_ORDER.index(m) if m in REAL_METHOD_ORDER else len(REAL_METHOD_ORDER),
                                    m))
    colours = dict(zip(methods, plt.get_cmap("tab10").colors, strict=False))
    fig, axes = plt.subplots(1, max(len(parsed), 1), figsize=(0.9 + 2.4 * max(len(parsed), 1), 3.4), squeeze=False,
                             sharey=True)
    values = [v for rows in parsed.values() for _, v in rows]
    width = 0.8 / max(len(methods), 1)
    for ax, (name, rows) in zip(axes[0], parsed.items(), strict=False):
        scores = {(p[0], p[3]): v for p, v in rows}
        targets = sorted({t for t, _ in scores})
        for i, target in enumerate(targets):
            for j, method in enumerate(methods):
                if (target, method) in scores:
                    ax.bar(i - 0.4 + (j + 0.5) * width, scores[target, method], width, color=colours[method],
                           label=method)
            if (target, "ceiling") in scores:
                ax.hlines(scores[target, "ceiling"], i - 0.45, i + 0.45, color="black", lw=1.5,
                          label="replicate ceiling")
        ax.set_xticks(range(len(targets)), [t.removeprefix("replicate_") for t in targets], fontsize=8)
        ax.set_title(name, fontsize=9)
        ax.grid(axis="y", alpha=0.3)
    if values:
        axes[0][0].set_ylim(max(0.0, min(values) - 0.05), min(1.0, max(values) + 0.02))
    axes[0][0].set_ylabel(f"HiCRep SCC vs independent target ({space} space)", fontsize=8)
    handles = {h.get_label(): h for ax in axes[0] for h in ax.get_legend_handles_labels()[0]}
    fig.legend(handles.values(), handles.keys(), fontsize=7, loc="lower center", ncol=len(handles) or 1)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    with atomic_path(path) as staged:
        fig.savefig(staged, dpi=110, format=Path(path).suffix.lstrip(".") or "png")
    plt.close(fig)
    return Path(path)
