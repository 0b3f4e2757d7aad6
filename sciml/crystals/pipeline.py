"""End-to-end runners of the crystals verbs: files in, files out (the CLI and the workflow call these).

- `generate_dataset`: a seeded, labelled data set (`train/val/test.extxyz`) of a family;
- `train_model`: a potential trained on labelled structure files, saved as a model folder;
- `evaluate_model`: held-out errors, throughput, physics checks and a parity plot of a model folder;
- `predict_file`: energies and forces of a user's structure file;
- `report`: metrics.json, the learning-curve table and plot from the evaluations.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sciml.crystals.settings import EvaluateSettings, GenerateSettings, ReportSettings, TrainSettings
from sciml.errors import InputError
from sciml.files import atomic_path, write_text_atomic

SPLITS: tuple[str, ...] = ("test", "val", "train")


def generate_dataset(settings: GenerateSettings, out: str | os.PathLike[str]) -> dict[str, int]:
    """Generate `settings.family` structures and write `out/{train,val,test}.extxyz` atomically.

    The structures are drawn in one seeded stream and split test first, then validation, then
    training, so a larger training set keeps the same test and validation structures.

    Returns:
        The number of structures per split.
    """
    from sciml.crystals.io import write_structures
    from sciml.crystals.synthetic import generate

    sizes = {"test": settings.n_test, "val": settings.n_val, "train": settings.n_train}
    structures = generate(settings.family, sum(sizes.values()), settings.seed, max_atoms=settings.max_atoms,
                          max_strain=settings.max_strain, rattle=settings.rattle,
                          vacancy_probability=settings.vacancy_probability)
    with atomic_path(out) as staged:
        staged.mkdir()
        start = 0
        for split in SPLITS:
            write_structures(staged / f"{split}.extxyz", structures[start:start + sizes[split]])
            start += sizes[split]
    return sizes


def train_model(train: str | os.PathLike[str], val: str | os.PathLike[str], out: str | os.PathLike[str],
                settings: TrainSettings, *, device: str = "auto", workdir: str | os.PathLike[str] | None = None,
                resume: bool = False) -> dict[str, Any]:
    """Train a potential on labelled structure files and save it as a model folder.

    Args:
        train: labelled training structures (extxyz, CIF, ... with energies and forces).
        val: labelled validation structures (their elements must occur in the training set).
        out: the model folder to write.
        settings: training settings.
        device: "auto", "cpu", "cuda" or "cuda:N".
        workdir: checkpoint + metrics.csv folder (resumable).
        resume: continue from the checkpoint in `workdir`.

    Returns:
        The training metrics (also the folder's metrics.json).

    Raises:
        InputError: an unreadable or invalid structure (names the file and the index).
        ConfigError: fewer training structures than `settings.n_train`, or a bad setting.
    """
    from sciml.crystals.io import read_structures
    from sciml.crystals.training import select_training, train_potential
    from sciml.train import seed_everything

    seed_everything(settings.seed)
    structures = select_training(read_structures(train, require_labels=True), settings.n_train)
    elements = sorted({s for atoms in structures for s in atoms.get_chemical_symbols()})
    validation = read_structures(val, elements=elements, require_labels=True)
    trained = train_potential(structures, validation, settings, device=device, out_dir=workdir, resume=resume)
    metrics = trained.metrics(len(validation))
    trained.save(out, metrics)
    return metrics


def evaluate_model(model: str | os.PathLike[str], structures: str | os.PathLike[str], out: str | os.PathLike[str],
                   settings: EvaluateSettings, *, device: str = "auto", parity: str | os.PathLike[str] | None = None,
                   title: str | None = None) -> dict[str, Any]:
    """Evaluate a model folder on labelled structures; write the evaluation JSON (and a parity plot).

    Args:
        model: a folder written by `train_model`.
        structures: labelled test structures.
        out: the evaluation JSON to write.
        settings: evaluation settings.
        device: where the predictions run.
        parity: the parity-plot PNG to write (none when None).
        title: the plot title (default: the model kind).

    Returns:
        The evaluation: the model name, its `n_train` and `train_seconds`, and `evaluate_potential`'s metrics.
    """
    from sciml.crystals.evaluate import evaluate_potential
    from sciml.crystals.io import read_structures
    from sciml.crystals.plots import parity_plot
    from sciml.models import METRICS_FILE, load_model
    from sciml.train import select_device

    potential = load_model(model)
    name = potential.model_config.kind.split(".", 1)[1]
    labelled = read_structures(structures, elements=potential.elements, require_labels=True)
    trained = json.loads((Path(model) / METRICS_FILE).read_text())
    metrics, predictions = evaluate_potential(potential, labelled, settings, select_device(device))
    result = {"model": name, "n_train": trained["n_train"], "train_seconds": trained["train_seconds"], **metrics}
    if parity is not None:
        parity_plot(parity, labelled, predictions, f"{title or name} (held-out)")
    write_text_atomic(out, json.dumps(result, indent=2, sort_keys=True) + "\n")
    return result


def predict_file(model: str | os.PathLike[str], structures: str | os.PathLike[str], out: str | os.PathLike[str],
                 *, batch_size: int = 16, device: str = "auto") -> int:
    """Predict energies and forces of every structure in a file; write them as extxyz.

    Args:
        model: a model folder.
        structures: any file `ase.io` reads (extxyz, CIF, ...); elements must be the model's.
        out: extxyz holding each structure with the predicted `energy` (eV) and `forces` (eV/A).
        batch_size: structures per batch.
        device: where the predictions run.

    Returns:
        The number of structures predicted.
    """
    from sciml.crystals.evaluate import predict
    from sciml.crystals.io import read_structures, with_prediction, write_structures
    from sciml.models import load_model
    from sciml.train import select_device

    potential = load_model(model)
    atoms = read_structures(structures, elements=potential.elements)
    predictions = predict(potential, atoms, batch_size, select_device(device))
    write_structures(out, [with_prediction(a, e, f) for a, e, f in
                           zip(atoms, predictions.energies, predictions.forces, strict=True)])
    return len(atoms)


def evaluation_key(path: str | os.PathLike[str]) -> tuple[str, str, int]:
    """(family, model, size) of an evaluation file named `<family>_<model>_n<size>.json`."""
    parts = Path(path).stem.rsplit("_", 2)
    if len(parts) != 3 or not parts[2].startswith("n") or not parts[2][1:].isdigit():
        raise InputError(path, "evaluation file name must be <family>_<model>_n<size>.json")
    return parts[0], parts[1], int(parts[2][1:])


def report(evaluations: Sequence[str | os.PathLike[str]], settings: ReportSettings, out: str | os.PathLike[str],
           curve_tsv: str | os.PathLike[str], curve_png: str | os.PathLike[str]) -> dict[str, Any]:
    """metrics.json (with provenance), the learning-curve TSV and its plot from evaluation files.

    Args:
        evaluations: files written by `evaluate_model`, named `<family>_<model>_n<size>.json`.
        settings: the main training-set size, the seed and the workflow section for the provenance.
        out: metrics.json to write.
        curve_tsv: learning-curve table to write.
        curve_png: learning-curve plot to write.

    Returns:
        The metrics (see `sciml.crystals.evaluate.summarise`).
    """
    from sciml.crystals.evaluate import summarise
    from sciml.crystals.plots import learning_curve_plot
    from sciml.provenance import write_metrics

    results = {evaluation_key(path): json.loads(Path(path).read_text()) for path in evaluations}
    curve, metrics = summarise(results, settings.n_train)
    write_text_atomic(curve_tsv, curve.to_csv(sep="\t", index=False, float_format="%.6g"))
    learning_curve_plot(curve_png, curve)
    provenance = settings.workflow or {"n_train": settings.n_train}
    write_metrics(out, metrics, settings=provenance, seed=settings.seed)
    return metrics
