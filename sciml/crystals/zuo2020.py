"""The Zuo et al. 2020 interatomic-potential benchmark: files, label keys, published errors, splits.

Zuo Y. et al., Performance and cost assessment of machine learning interatomic potentials,
J Phys Chem A 124(4):731-745 (2020); VASP PBE. Only the training parts are registered
(`sciml.data` name `zuo2020-mlip`); the official test splits are held elsewhere, so every choice
here is made on a validation split carved from the training file (`stratified_split`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from ase import Atoms

from sciml.crystals.io import config_type_of
from sciml.crystals.settings import LabelKeys
from sciml.errors import ConfigError

DATASET = "zuo2020-mlip"
ELEMENTS: tuple[str, ...] = ("Si", "Ge", "Li", "Mo", "Cu", "Ni")

FILES: dict[str, str] = {
    "Si": "Si_training.json", "Ge": "Ge_training.json", "Li": "Li_training.json", "Mo": "Mo_training.json",
    "Cu": "Cu_train.xyz", "Ni": "Ni_train.xyz",
}
"""The training file of each element in the registered data set."""

KEYS: dict[str, LabelKeys] = {el: LabelKeys(forces="force") if FILES[el].endswith(".xyz") else LabelKeys()
                              for el in ELEMENTS}
"""Where each file keeps its labels (the Cu and Ni extxyz files use `force`, no stresses)."""

PUBLISHED_TEST_MAE: dict[str, dict[str, dict[str, float]]] = {
    "Si": {"GAP": {"energy": 2.91, "force": 70.0}, "MTP": {"energy": 2.21, "force": 60.0}},
    "Ge": {"GAP": {"energy": 2.06, "force": 50.0}, "MTP": {"energy": 1.79, "force": 50.0}},
    "Mo": {"GAP": {"energy": 2.24, "force": 90.0}, "MTP": {"energy": 2.83, "force": 90.0}},
    "Li": {"GAP": {"energy": 0.49, "force": 10.0}, "MTP": {"energy": 0.49, "force": 10.0}},
    "Cu": {"GAP": {"energy": 0.46, "force": 10.0}, "MTP": {"energy": 0.41, "force": 10.0}},
    "Ni": {"GAP": {"energy": 0.42, "force": 20.0}, "MTP": {"energy": 0.48, "force": 10.0}},
}
"""Published MAEs on the benchmark's official *test* split (energy meV/atom, force meV/A), Zuo et al. 2020."""


def stratified_split(structures: Sequence[Atoms], val_fraction: float, seed: int) -> tuple[list[int], list[int]]:
    """Training and validation indices, each group (`config_type`) split in the same proportion.

    Every group with at least two structures gives round(val_fraction x size) structures (at
    least one) to validation, drawn with a seeded permutation; the rest stay in training.

    Args:
        structures: the labelled structures of one training file.
        val_fraction: fraction of each group held out, in (0, 1).
        seed: seed of the permutation.

    Returns:
        Sorted training indices and sorted validation indices.

    Raises:
        ConfigError: a fraction outside (0, 1).
    """
    if not 0.0 < val_fraction < 1.0:
        raise ConfigError("val_fraction", f"must be in (0, 1), got {val_fraction}")
    rng = np.random.default_rng(seed)
    groups: dict[str, list[int]] = {}
    for index, atoms in enumerate(structures):
        groups.setdefault(config_type_of(atoms), []).append(index)
    val: list[int] = []
    for name in sorted(groups):
        members = np.array(groups[name])
        if len(members) < 2:
            continue
        n_val = min(max(1, round(val_fraction * len(members))), len(members) - 1)
        val += rng.permutation(members)[:n_val].tolist()
    held = set(val)
    return [i for i in range(len(structures)) if i not in held], sorted(val)
