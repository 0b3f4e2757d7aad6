"""Enhancer sequence models: ingestion, motif CNNs, filter PWMs, JASPAR/Tomtom matching,
attribution, motif grammar probing and the report (see docs/enhancers.md)."""

import os

# memelite and tangermeme run numba-parallel kernels. numba's default OpenMP threading layer
# leaves its worker threads spinning after a call, which made every later torch forward pass
# ~100x slower on a busy 2-core machine (measured: 14 ms -> 1.4 s). The workqueue layer has
# no spinning workers; set before numba is imported, and only when the user has not chosen.
os.environ.setdefault("NUMBA_THREADING_LAYER", "workqueue")

# ruff: noqa: E402

from sciml.enhancers.models import MotifCNN, MotifCNNConfig, build_model, load_model
from sciml.enhancers.sequences import load_labelled_fasta, load_pos_neg, one_hot, read_fasta

__all__ = [
    "MotifCNN",
    "MotifCNNConfig",
    "build_model",
    "load_labelled_fasta",
    "load_model",
    "load_pos_neg",
    "one_hot",
    "read_fasta",
]
