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

from sciml.crystals.settings import (
    EvaluateSettings,
    GenerateSettings,
    LabelKeys,
    MDCheckSettings,
    MDSettings,
    PrepareSettings,
    ReportSettings,
    TrainSettings,
)
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


def prepare_benchmark(settings: PrepareSettings, out: str | os.PathLike[str],
                      root: str | os.PathLike[str] = "data/raw") -> dict[str, Any]:
    """Fetch one element of the Zuo 2020 benchmark and write `out/{train,val}.extxyz` atomically.

    `out/md_start.extxyz` holds the starting structure of the MD checks: the AIMD-NVT training
    structure (a bulk supercell) with the lowest energy per atom, the one nearest equilibrium.

    The validation split is stratified by group (`sciml.crystals.zuo2020.stratified_split`);
    stresses are written in ASE's convention (eV/A^3, tensile positive) and the group as
    `config_type`.

    Args:
        settings: element, validation fraction and seed.
        out: the folder to write.
        root: where `sciml.data.fetch` puts the data set (from the mirror or upstream).

    Returns:
        The number of structures per split and group.
    """
    from collections import Counter

    from sciml.crystals.io import config_type_of, energy_of, read_structures, write_structures
    from sciml.crystals.zuo2020 import DATASET, FILES, KEYS, stratified_split
    from sciml.data import fetch

    folder = fetch(DATASET, root=root, files=[FILES[settings.element]])
    structures = read_structures(folder / FILES[settings.element], require_labels=True,
                                 keys=KEYS[settings.element])
    train, val = stratified_split(structures, settings.val_fraction, settings.seed)
    counts: dict[str, Any] = {}
    with atomic_path(out) as staged:
        staged.mkdir()
        for split, indices in (("train", train), ("val", val)):
            chosen = [structures[i] for i in indices]
            write_structures(staged / f"{split}.extxyz", chosen)
            counts[split] = dict(sorted(Counter(config_type_of(a) for a in chosen).items()))
        aimd = [structures[i] for i in train if config_type_of(structures[i]) == "AIMD-NVT"] or [structures[train[0]]]
        coolest = min(aimd, key=lambda atoms: energy_of(atoms) / len(atoms))
        write_structures(staged / "md_start.extxyz", [coolest])
    return counts


def train_model(train: str | os.PathLike[str], val: str | os.PathLike[str], out: str | os.PathLike[str],
                settings: TrainSettings, *, device: str = "auto", workdir: str | os.PathLike[str] | None = None,
                resume: bool = False, keys: LabelKeys | None = None) -> dict[str, Any]:
    """Train a potential on labelled structure files and save it as a model folder.

    Args:
        train: labelled training structures (extxyz, CIF, ... with energies and forces).
        val: labelled validation structures (their elements must occur in the training set).
        out: the model folder to write.
        settings: training settings.
        device: "auto", "cpu", "cuda" or "cuda:N".
        workdir: checkpoint + metrics.csv folder (resumable).
        resume: continue from the checkpoint in `workdir`.
        keys: where extxyz files keep energy, forces, stress or virial (default: ASE's keys).

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
    structures = select_training(read_structures(train, require_labels=True, keys=keys), settings.n_train)
    elements = sorted({s for atoms in structures for s in atoms.get_chemical_symbols()})
    validation = read_structures(val, elements=elements, require_labels=True, keys=keys)
    trained = train_potential(structures, validation, settings, device=device, out_dir=workdir, resume=resume)
    metrics = trained.metrics(len(validation))
    trained.save(out, metrics)
    return metrics


def evaluate_model(model: str | os.PathLike[str], structures: str | os.PathLike[str], out: str | os.PathLike[str],
                   settings: EvaluateSettings, *, device: str = "auto", parity: str | os.PathLike[str] | None = None,
                   title: str | None = None, keys: LabelKeys | None = None) -> dict[str, Any]:
    """Evaluate a model folder on labelled structures; write the evaluation JSON (and a parity plot).

    Args:
        model: a folder written by `train_model`.
        structures: labelled test structures.
        out: the evaluation JSON to write.
        settings: evaluation settings.
        device: where the predictions run.
        parity: the parity-plot PNG to write (none when None).
        title: the plot title (default: the model kind).
        keys: where an extxyz file keeps energy, forces, stress or virial (default: ASE's keys).

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
    labelled = read_structures(structures, elements=potential.elements, require_labels=True, keys=keys)
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


def selection_score(evaluation: dict[str, Any]) -> float:
    """Validation score of a model (lower is better): its energy and force MAEs, each relative to the
    baseline of reference energies and zero forces, summed."""
    return (evaluation["energy_mae_mev_per_atom"] / evaluation["baseline_energy_mae_mev_per_atom"]
            + evaluation["force_mae_mev_per_A"] / evaluation["baseline_force_mae_mev_per_A"])


def select_model(candidates: dict[str, str | os.PathLike[str]], evaluations: dict[str, str | os.PathLike[str]],
                 out_model: str | os.PathLike[str], out_json: str | os.PathLike[str],
                 element: str | None = None) -> dict[str, Any]:
    """Copy the candidate model with the best validation score (`selection_score`) to `out_model`.

    Args:
        candidates: name (e.g. "invariant") -> model folder.
        evaluations: name -> its validation evaluation JSON (`evaluate_model`).
        out_model: the folder to write (a copy of the chosen model folder).
        out_json: the selection summary: chosen name, every candidate's validation errors and score,
            and, for a benchmark element, the published test errors beside them.
        element: the Zuo 2020 element, to add the published GAP/MTP test errors (labelled as such).

    Returns:
        The selection summary.
    """
    import shutil

    from sciml.crystals.zuo2020 import PUBLISHED_TEST_MAE

    if set(candidates) != set(evaluations) or not candidates:
        raise InputError(out_json, f"candidates {sorted(candidates)} and evaluations {sorted(evaluations)} differ")
    results = {name: json.loads(Path(path).read_text()) for name, path in evaluations.items()}
    scores = {name: selection_score(result) for name, result in results.items()}
    chosen = min(sorted(scores), key=scores.__getitem__)
    keys = ("energy_mae_mev_per_atom", "force_mae_mev_per_A", "stress_mae_mev_per_A3", "energy_rmse_mev_per_atom",
            "force_rmse_mev_per_A", "n_structures", "train_seconds", "groups")
    summary: dict[str, Any] = {
        "chosen": chosen, "split": "validation (stratified by group, carved from the training file)",
        "candidates": {name: {**{k: results[name][k] for k in keys if k in results[name]}, "score": scores[name]}
                       for name in sorted(results)},
        "baseline": {k: results[chosen][k] for k in ("baseline_energy_mae_mev_per_atom",
                                                     "baseline_force_mae_mev_per_A")},
    }
    if element is not None and element in PUBLISHED_TEST_MAE:
        summary["element"] = element
        summary["published_test_mae"] = {
            "split": "official test split of Zuo et al. 2020 (not the split above)",
            **PUBLISHED_TEST_MAE[element]}
    with atomic_path(out_model) as staged:
        shutil.copytree(candidates[chosen], staged)
    write_text_atomic(out_json, json.dumps(summary, indent=2, sort_keys=True) + "\n")
    return summary


def md_file(model: str | os.PathLike[str], structure: str | os.PathLike[str], out: str | os.PathLike[str],
            settings: MDSettings, *, index: int = 0, device: str = "auto",
            summary: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """One MD run of a model folder from a structure in a file; the trajectory written as extxyz.

    Args:
        model: a model folder (or committee folder).
        structure: a structure file (extxyz, CIF, ...); structure `index` is the start.
        out: the trajectory (extxyz, one frame every `settings.log_every` steps), written atomically.
        settings: ensemble, temperature, steps, time step, thermostat and stability limits.
        index: which structure of the file starts the run.
        device: where the potential runs.
        summary: a JSON file for the run's summary (`sciml.crystals.md.run_md`), if given.

    Returns:
        The summary.

    Raises:
        InputError: an invalid structure or an element the model was not trained on (before any step).
    """
    from sciml.crystals.calculator import Calculator
    from sciml.crystals.io import read_structures, write_structures
    from sciml.crystals.md import run_md

    calculator = Calculator(model, device=device, dtype=settings.dtype)
    structures = read_structures(structure, elements=calculator.elements)
    if not 0 <= index < len(structures):
        raise InputError(structure, f"no structure {index} (the file holds {len(structures)})")
    result, frames = run_md(structures[index], calculator, settings)
    write_structures(out, frames)
    if summary is not None:
        write_text_atomic(summary, json.dumps(result, indent=2) + "\n")
    return result


def md_check(model: str | os.PathLike[str], structure: str | os.PathLike[str], out: str | os.PathLike[str],
             settings: MDCheckSettings, *, device: str = "auto") -> dict[str, Any]:
    """NVE drift and NVT stability of a model folder from the first structure of a file.

    Args:
        model: a model folder.
        structure: the starting structure (its first structure).
        out: the JSON summary: one entry per run (`nve_<T>K`, `nvt_<T>K`, without the per-step
            records) and `stable` (all runs stable).
        settings: temperatures, lengths, time step, thermostat and stability limits.
        device: where the potential runs.

    Returns:
        The summary.
    """
    from sciml.crystals.calculator import Calculator
    from sciml.crystals.io import read_structures
    from sciml.crystals.md import run_md

    calculator = Calculator(model, device=device)
    start = read_structures(structure, elements=calculator.elements)[0]
    runs: dict[str, Any] = {}
    plans = [("nve", settings.nve_temperature)] + [("nvt", t) for t in settings.nvt_temperatures]
    for ensemble, temperature in plans:
        result, _ = run_md(start, calculator, settings.run(ensemble, temperature))
        result.pop("records")
        runs[f"{ensemble}_{temperature:g}K"] = result
    summary = {"model": str(model), "structure": str(structure), "n_atoms": len(start),
               "stable": all(r["stable"] for r in runs.values()), "runs": runs}
    write_text_atomic(out, json.dumps(summary, indent=2) + "\n")
    return summary


def benchmark_report(selections: Sequence[str | os.PathLike[str]], md_checks: Sequence[str | os.PathLike[str]],
                     out: str | os.PathLike[str], *, committees: Sequence[str | os.PathLike[str]] = (),
                     seed: int = 0, workflow: dict[str, Any] | None = None) -> dict[str, Any]:
    """The DFT benchmark's metrics.json: per element the chosen model's validation errors, the baseline,
    the published test errors (labelled as such), the MD checks and, where trained, the committee's
    uncertainty ranking.

    Args:
        selections: `select_model` summaries, one per element.
        md_checks: `md_check` summaries, in the same element order.
        out: metrics.json to write (with a provenance block).
        committees: `committee_file` summaries at `<element>/committee.json` (any subset of the elements).
        seed: the workflow seed, for the provenance.
        workflow: the settings recorded in the provenance.

    Returns:
        The metrics: `{element: {...}}`.
    """
    from sciml.crystals.zuo2020 import DATASET
    from sciml.provenance import write_metrics

    if len(selections) != len(md_checks):
        raise InputError(out, f"{len(selections)} selections but {len(md_checks)} MD checks")
    metrics: dict[str, Any] = {}
    for selection_path, md_path in zip(selections, md_checks, strict=True):
        selection = json.loads(Path(selection_path).read_text())
        md = json.loads(Path(md_path).read_text())
        element = selection.get("element", Path(selection_path).parent.name)
        chosen = selection["candidates"][selection["chosen"]]
        runs = md["runs"]
        nve = next((r for name, r in runs.items() if name.startswith("nve")), {})
        metrics[element] = {
            "model": selection["chosen"],
            "validation": {k: chosen[k] for k in ("energy_mae_mev_per_atom", "force_mae_mev_per_A",
                                                  "stress_mae_mev_per_A3", "n_structures", "train_seconds")
                           if k in chosen},
            "validation_groups": chosen.get("groups", {}),
            "validation_candidates": {name: {k: c[k] for k in ("energy_mae_mev_per_atom", "force_mae_mev_per_A")}
                                      for name, c in selection["candidates"].items()},
            "baseline_validation": selection["baseline"],
            "published_test_mae": selection.get("published_test_mae", {}),
            "md": {"stable": md["stable"], "nve_drift_mev_per_atom": nve.get("nve_drift_mev_per_atom"),
                   "nve_duration_fs": nve.get("duration_fs"),
                   **{name: {k: r[k] for k in ("stable", "closest_pair_A", "mean_temperature_K", "max_temperature_K",
                                               "duration_fs")}
                      for name, r in runs.items() if name.startswith("nvt")}},
        }
    for path in committees:
        element = Path(path).parent.name
        if element not in metrics:
            raise InputError(path, f"committee of {element!r}, an element without a selection ({sorted(metrics)})")
        metrics[element]["committee_validation"] = json.loads(Path(path).read_text())
    write_metrics(out, metrics, settings=workflow or {}, seed=seed, datasets=[DATASET])
    return metrics


def committee_file(members: Sequence[str | os.PathLike[str]], out: str | os.PathLike[str],
                   structures: str | os.PathLike[str] | None = None,
                   summary: str | os.PathLike[str] | None = None, plot: str | os.PathLike[str] | None = None, *,
                   device: str = "auto") -> dict[str, Any]:
    """Join model folders into a committee folder; on labelled structures, rank its spread against its errors.

    Args:
        members: model folders with the same elements and cutoff.
        out: the committee folder to write (`sciml.crystals.calculator.save_committee`).
        structures: labelled structures (e.g. the validation split) for `uncertainty_ranking`.
        summary: JSON file for the ranking (needs `structures`).
        plot: PNG of spread vs error (`sciml.crystals.plots.uncertainty_plot`; needs `structures`).
        device: where the committee runs.

    Returns:
        The ranking (empty without `structures`).
    """
    from sciml.crystals.calculator import Calculator, save_committee
    from sciml.crystals.evaluate import committee_errors, uncertainty_ranking
    from sciml.crystals.io import read_structures
    from sciml.crystals.plots import uncertainty_plot

    if structures is None and (summary is not None or plot is not None):
        raise InputError(out, "a summary or plot of the committee needs labelled --structures")
    save_committee(out, members)
    if structures is None:
        return {}
    calculator = Calculator(out, device=device)
    labelled = read_structures(structures, elements=calculator.elements, require_labels=True)
    errors = committee_errors(calculator, labelled)
    result = uncertainty_ranking(errors, len(calculator.members))
    if summary is not None:
        write_text_atomic(summary, json.dumps(result, indent=2) + "\n")
    if plot is not None:
        uncertainty_plot(plot, errors, f"committee of {len(calculator.members)} on {Path(structures).name}: "
                         f"Spearman energy {result['energy_spearman']:.2f}, force {result['force_spearman']:.2f}")
    return result
