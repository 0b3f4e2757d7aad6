"""Figures of the ECG pipeline: confusion matrix, reliability diagram, class saliency on average beats."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from sciml.ecg.aami import CLASSES  # noqa: E402
from sciml.files import atomic_path  # noqa: E402


def _save(fig: plt.Figure, path: str | os.PathLike[str]) -> Path:
    with atomic_path(path) as staged:
        fig.savefig(staged, format=Path(path).suffix.lstrip(".") or "png", dpi=120, bbox_inches="tight")
    plt.close(fig)
    return Path(path)


def plot_confusion(matrix: np.ndarray, path: str | os.PathLike[str], title: str) -> Path:
    """Confusion matrix (K, K) as counts with row-normalised colour (rows = reference)."""
    fig, ax = plt.subplots(figsize=(4.8, 4.2))
    rows = matrix.sum(axis=1, keepdims=True)
    ax.imshow(np.divide(matrix, rows, out=np.zeros(matrix.shape), where=rows > 0), cmap="Blues", vmin=0, vmax=1)
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=8)
    ax.set_xticks(range(len(CLASSES)), CLASSES)
    ax.set_yticks(range(len(CLASSES)), CLASSES)
    ax.set_xlabel("predicted")
    ax.set_ylabel("reference")
    ax.set_title(title, fontsize=9)
    return _save(fig, path)


def plot_reliability(
    curves: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]], path: str | os.PathLike[str]
) -> Path:
    """Reliability diagram: accuracy against confidence per bin, one curve per label (e.g. before/after)."""
    fig, ax = plt.subplots(figsize=(4.5, 4.2))
    ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls="--", label="perfect")
    for label, (conf, acc, count) in curves.items():
        filled = count > 0
        ax.plot(conf[filled], acc[filled], marker="o", ms=3, label=label)
    ax.set_xlabel("confidence (top class)")
    ax.set_ylabel("accuracy")
    ax.legend(fontsize=8)
    return _save(fig, path)


def plot_saliency(panels: dict[str, tuple[np.ndarray, np.ndarray]], fs: float, before_s: float,
                  path: str | os.PathLike[str]) -> Path:
    """One panel per class: the average beat with its mean input-gradient saliency as a shaded overlay."""
    fig, axes = plt.subplots(1, max(len(panels), 1), figsize=(3.2 * max(len(panels), 1), 2.8), squeeze=False)
    for ax, (name, (beat, saliency)) in zip(axes[0], panels.items(), strict=False):
        t = np.arange(len(beat)) / fs - before_s
        ax.plot(t, beat, color="black", lw=1)
        scaled = saliency / (saliency.max() or 1.0)
        ax.fill_between(t, beat.min(), beat.min() + scaled * (beat.max() - beat.min()), color="tab:red", alpha=0.35)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("time from R peak (s)")
    axes[0][0].set_ylabel("amplitude (record-scaled)")
    return _save(fig, path)
