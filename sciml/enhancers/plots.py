"""Figures: motif logos (logomaker), attribution logos, grammar spacing curves."""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sciml.files import atomic_path  # noqa: E402


def _save(fig: plt.Figure, path: str | os.PathLike[str]) -> None:
    with atomic_path(path) as staged:
        fig.savefig(staged, dpi=110, bbox_inches="tight", format="png")
    plt.close(fig)


def motif_logo(ax: plt.Axes, ppm: np.ndarray, title: str = "") -> None:
    """Information-content logo of `ppm (4, W)` drawn on `ax`."""
    import logomaker

    frame = pd.DataFrame(ppm.T, columns=list("ACGT"))
    info = logomaker.transform_matrix(frame, from_type="probability", to_type="information")
    logomaker.Logo(info, ax=ax, color_scheme="classic")
    ax.set_ylim(0, 2)
    ax.set_ylabel("bits")
    ax.set_title(title, fontsize=8)


def logo_grid(path: str | os.PathLike[str], ppms: list[np.ndarray], titles: list[str], columns: int = 4) -> None:
    """A PNG grid of motif logos, one panel per PWM."""
    rows = max(1, -(-len(ppms) // columns))
    fig, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 1.5 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, ppm, title in zip(axes.flat, ppms, titles, strict=False):
        ax.axis("on")
        motif_logo(ax, ppm, title)
    fig.tight_layout()
    _save(fig, path)


def attribution_logos(path: str | os.PathLike[str], attrs: list[np.ndarray], titles: list[str]) -> None:
    """Attribution logos: one row per sequence, letters scaled by `attr (4, L)` (observed bases)."""
    import logomaker

    fig, axes = plt.subplots(len(attrs), 1, figsize=(14, 1.6 * len(attrs)), squeeze=False)
    for ax, attr, title in zip(axes[:, 0], attrs, titles, strict=True):
        logomaker.Logo(pd.DataFrame(attr.T, columns=list("ACGT")), ax=ax, color_scheme="classic")
        ax.set_title(title, fontsize=8)
        ax.set_ylabel("attr.")
    fig.tight_layout()
    _save(fig, path)


def spacing_plot(path: str | os.PathLike[str], gaps: np.ndarray, ab: np.ndarray, ba: np.ndarray, background: float,
                 names: tuple[str, str], true_gap: int | None = None) -> None:
    """Predicted activity against the gap between two inserted motifs, both orders."""
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot(gaps, ab, "o-", label=f"{names[0]} then {names[1]}")
    ax.plot(gaps, ba, "s--", label=f"{names[1]} then {names[0]}")
    ax.axhline(background, color="grey", lw=0.8, label="shuffled background")
    if true_gap is not None:
        ax.axvline(true_gap, color="red", lw=0.8, ls=":", label=f"planted gap {true_gap} bp")
    ax.set_xlabel("gap between motifs (bp)")
    ax.set_ylabel("mean predicted probability")
    ax.legend(fontsize=7)
    fig.tight_layout()
    _save(fig, path)


def interaction_plot(path: str | os.PathLike[str], gaps: np.ndarray, interaction: np.ndarray, se: np.ndarray,
                     control: np.ndarray, labels: list[str], title: str) -> None:
    """Interaction of two motifs (logit) against their gap, one line per arrangement, with the
    shuffled-motif controls as a grey band (their 2.5-97.5 % range at each gap).

    Shapes:
        gaps: (G,); interaction, se: (K, G); control: (K, G, C).
    """
    fig, ax = plt.subplots(figsize=(7, 3.4))
    flat = control.transpose(1, 0, 2).reshape(len(gaps), -1)
    ax.fill_between(gaps, np.quantile(flat, 0.025, axis=1), np.quantile(flat, 0.975, axis=1), color="0.8",
                    label="shuffled-motif controls")
    ax.axhline(0, color="grey", lw=0.8)
    for k, (label, style) in enumerate(zip(labels, ("o-", "s--", "^-", "v:"), strict=False)):
        ax.errorbar(gaps, interaction[k], yerr=se[k], fmt=style, ms=3, lw=1, capsize=0, label=label)
    ax.set_xlabel("gap between the motifs (bp)")
    ax.set_ylabel("interaction (logit)")
    ax.set_title(title, fontsize=8)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    _save(fig, path)


def message_figure(path: str | os.PathLike[str], text: str) -> None:
    """A small figure holding only `text` (a figure the workflow promises but the data could not fill)."""
    fig, ax = plt.subplots(figsize=(6, 1.2))
    ax.axis("off")
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=9, wrap=True)
    _save(fig, path)
