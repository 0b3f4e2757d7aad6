import json
from collections import Counter

import numpy as np
import pytest
from ase.build import bulk

from sciml.crystals.io import config_type_of
from sciml.crystals.pipeline import select_model, selection_score
from sciml.crystals.zuo2020 import ELEMENTS, FILES, PUBLISHED_TEST_MAE, stratified_split
from sciml.data import REGISTRY
from sciml.errors import ConfigError, InputError


def _grouped(sizes: dict[str, int]):
    structures = []
    for group, n in sizes.items():
        for _ in range(n):
            atoms = bulk("Si", "diamond", a=5.43)
            atoms.info["config_type"] = group
            structures.append(atoms)
    return structures


def test_split_is_stratified_disjoint_and_seeded():
    structures = _grouped({"AIMD-NVT": 90, "Elastic": 55, "Surface": 12, "Vacancy": 57, "Single": 1})
    train, val = stratified_split(structures, 0.15, seed=0)
    assert sorted(train + val) == list(range(len(structures))) and not set(train) & set(val)
    counts = Counter(config_type_of(structures[i]) for i in val)
    assert counts == {"AIMD-NVT": 14, "Elastic": 8, "Surface": 2, "Vacancy": 9}  # a lone structure stays in training
    assert stratified_split(structures, 0.15, seed=0) == (train, val)
    assert stratified_split(structures, 0.15, seed=1)[1] != val
    with pytest.raises(ConfigError, match="val_fraction"):
        stratified_split(structures, 1.0, seed=0)


def test_every_element_has_a_registered_file_and_published_errors():
    files = REGISTRY["zuo2020-mlip"].files
    for element in ELEMENTS:
        assert FILES[element] in files
        assert set(PUBLISHED_TEST_MAE[element]) == {"GAP", "MTP"}


def _evaluation(path, energy, force):
    path.write_text(json.dumps({"energy_mae_mev_per_atom": energy, "force_mae_mev_per_A": force,
                                "baseline_energy_mae_mev_per_atom": 100.0, "baseline_force_mae_mev_per_A": 500.0,
                                "n_structures": 3, "groups": {}}))
    return path


def test_select_copies_the_model_with_the_best_validation_score(tmp_path):
    candidates = {}
    for name in ("invariant", "equivariant"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "config.json").write_text(json.dumps({"kind": f"crystals.{name}"}))
        candidates[name] = folder
    # invariant: 5/100 + 100/500 = 0.25; equivariant: 4/100 + 110/500 = 0.26
    evaluations = {"invariant": _evaluation(tmp_path / "i.json", 5.0, 100.0),
                   "equivariant": _evaluation(tmp_path / "e.json", 4.0, 110.0)}
    assert selection_score(json.loads(evaluations["invariant"].read_text())) == pytest.approx(0.25)
    summary = select_model(candidates, evaluations, tmp_path / "model", tmp_path / "selection.json", element="Si")
    assert summary["chosen"] == "invariant"
    assert json.loads((tmp_path / "model" / "config.json").read_text())["kind"] == "crystals.invariant"
    written = json.loads((tmp_path / "selection.json").read_text())
    assert written["published_test_mae"]["GAP"] == {"energy": 2.91, "force": 70.0}
    assert "not the split above" in written["published_test_mae"]["split"]
    assert np.isclose(written["candidates"]["equivariant"]["score"], 0.26)


def test_benchmark_report_puts_validation_baseline_published_and_md_side_by_side(tmp_path):
    from sciml.crystals.pipeline import benchmark_report

    candidates = {}
    for name in ("invariant", "equivariant"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "config.json").write_text("{}")
        candidates[name] = folder
    evaluations = {"invariant": _evaluation(tmp_path / "i.json", 5.0, 100.0),
                   "equivariant": _evaluation(tmp_path / "e.json", 4.0, 110.0)}
    select_model(candidates, evaluations, tmp_path / "Si" / "model", tmp_path / "Si" / "selection.json", element="Si")
    run = {"stable": True, "closest_pair_A": 2.1, "mean_temperature_K": 300.0, "max_temperature_K": 420.0,
           "duration_fs": 1000.0}
    (tmp_path / "Si" / "md.json").write_text(json.dumps({"stable": True, "runs": {
        "nve_300K": {**run, "nve_drift_mev_per_atom": 0.04}, "nvt_300K": run}}))
    (tmp_path / "Si" / "committee.json").write_text(json.dumps({"energy_spearman": 0.4, "force_spearman": 0.5}))
    metrics = benchmark_report([tmp_path / "Si" / "selection.json"], [tmp_path / "Si" / "md.json"],
                               tmp_path / "metrics.json", committees=[tmp_path / "Si" / "committee.json"], seed=3)
    si = metrics["Si"]
    assert si["model"] == "invariant" and si["validation"]["force_mae_mev_per_A"] == 100.0
    assert si["baseline_validation"]["baseline_force_mae_mev_per_A"] == 500.0
    assert si["published_test_mae"]["MTP"]["force"] == 60.0
    assert si["md"]["nve_drift_mev_per_atom"] == 0.04 and si["md"]["nvt_300K"]["stable"]
    assert si["committee_validation"]["force_spearman"] == 0.5
    (tmp_path / "Mo").mkdir()
    (tmp_path / "Mo" / "committee.json").write_text("{}")
    with pytest.raises(InputError, match="without a selection"):
        benchmark_report([tmp_path / "Si" / "selection.json"], [tmp_path / "Si" / "md.json"], tmp_path / "m2.json",
                         committees=[tmp_path / "Mo" / "committee.json"])
    assert not (tmp_path / "m2.json").exists()
    written = json.loads((tmp_path / "metrics.json").read_text())
    assert written["provenance"]["seed"] == 3 and "zuo2020-mlip" in written["provenance"]["data"]
