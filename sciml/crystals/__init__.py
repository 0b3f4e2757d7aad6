"""Crystals: periodic crystal graphs, invariant and equivariant potentials, DFT data, an ASE calculator, MD.

The public names below are imported on first use, so that importing a light module such as
`sciml.crystals.settings` (the workflow does, to validate its config) does not load torch and e3nn.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "Calculator": "calculator",
    "committee_errors": "evaluate",
    "committee_file": "pipeline",
    "save_committee": "calculator",
    "uncertainty_ranking": "evaluate",
    "LabelKeys": "settings",
    "MDCheckSettings": "settings",
    "MDSettings": "settings",
    "PrepareSettings": "settings",
    "md_check": "pipeline",
    "md_file": "pipeline",
    "prepare_benchmark": "pipeline",
    "read_mlearn_json": "io",
    "run_md": "md",
    "select_model": "pipeline",
    "stratified_split": "zuo2020",
    "EquivariantNetwork": "equivariant",
    "EquivariantSettings": "settings",
    "EvaluateSettings": "settings",
    "GenerateSettings": "settings",
    "InvariantNetwork": "invariant",
    "InvariantSettings": "settings",
    "Potential": "potential",
    "Prediction": "potential",
    "Predictions": "evaluate",
    "ReportSettings": "settings",
    "TrainSettings": "settings",
    "TrainedPotential": "training",
    "atoms_to_graph": "graphs",
    "build_potential": "models",
    "collate": "graphs",
    "edge_vectors": "graphs",
    "error_metrics": "evaluate",
    "evaluate_model": "pipeline",
    "evaluate_potential": "evaluate",
    "fit_reference_energies": "references",
    "generate": "synthetic",
    "generate_dataset": "pipeline",
    "load_model": "models",
    "periodic_neighbors": "graphs",
    "predict": "evaluate",
    "predict_file": "pipeline",
    "random_metal": "synthetic",
    "random_silicon": "synthetic",
    "read_structures": "io",
    "report": "pipeline",
    "save_potential": "models",
    "train_model": "pipeline",
    "train_potential": "training",
    "write_structures": "io",
}

__all__ = [
    "Calculator",
    "committee_errors",
    "committee_file",
    "save_committee",
    "uncertainty_ranking",
    "LabelKeys",
    "MDCheckSettings",
    "MDSettings",
    "PrepareSettings",
    "md_check",
    "md_file",
    "prepare_benchmark",
    "read_mlearn_json",
    "run_md",
    "select_model",
    "stratified_split",
    "EquivariantNetwork",
    "EquivariantSettings",
    "EvaluateSettings",
    "GenerateSettings",
    "InvariantNetwork",
    "InvariantSettings",
    "Potential",
    "Prediction",
    "Predictions",
    "ReportSettings",
    "TrainSettings",
    "TrainedPotential",
    "atoms_to_graph",
    "build_potential",
    "collate",
    "edge_vectors",
    "error_metrics",
    "evaluate_model",
    "evaluate_potential",
    "fit_reference_energies",
    "generate",
    "generate_dataset",
    "load_model",
    "periodic_neighbors",
    "predict",
    "predict_file",
    "random_metal",
    "random_silicon",
    "read_structures",
    "report",
    "save_potential",
    "train_model",
    "train_potential",
    "write_structures",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"sciml.crystals.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'sciml.crystals' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
