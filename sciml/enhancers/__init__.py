"""Enhancer sequence models: ingestion, motif CNNs, filter PWMs, JASPAR/Tomtom matching,
attribution, motif grammar probing and the report (user guide: docs/enhancers.md).

The names below are imported on first use, so `sciml.enhancers.settings` (read by the workflow)
loads without torch.
"""

import os

from sciml.lazy import lazy_exports

# memelite and tangermeme run numba-parallel kernels. numba's default OpenMP threading layer
# leaves its worker threads spinning after a call, which made every later torch forward pass
# ~100x slower on a busy 2-core machine (measured: 14 ms -> 1.4 s). The workqueue layer has
# no spinning workers; set before numba is imported, and only when the user has not chosen.
os.environ.setdefault("NUMBA_THREADING_LAYER", "workqueue")

_EXPORTS = {
    "EnhancerClassifier": "sciml.enhancers.models",
    "MotifCNN": "sciml.enhancers.models",
    "MotifCNNConfig": "sciml.enhancers.models",
    "MotifCNNEnsemble": "sciml.enhancers.models",
    "build_model": "sciml.enhancers.models",
    "save_motif_cnn": "sciml.enhancers.models",
    "find_motifs": "sciml.enhancers.pipeline",
    "find_spacing": "sciml.enhancers.pipeline",
    "load_sequences": "sciml.enhancers.pipeline",
    "predict_fasta": "sciml.enhancers.pipeline",
    "train_sequence_model": "sciml.enhancers.pipeline",
    "cross_validate_sequence_model": "sciml.enhancers.pipeline",
    "load_h5_splits": "sciml.enhancers.io",
    "load_labelled_fasta": "sciml.enhancers.io",
    "read_sequence_table": "sciml.enhancers.io",
    "load_pos_neg": "sciml.enhancers.io",
    "read_fasta": "sciml.enhancers.io",
    "one_hot": "sciml.enhancers.sequences",
    "load_model": "sciml",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
