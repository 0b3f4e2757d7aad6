"""Crystals: periodic crystal graphs, invariant and equivariant potentials, energies and forces."""

from sciml.crystals.equivariant import EquivariantNetwork
from sciml.crystals.evaluate import Predictions, error_metrics, predict
from sciml.crystals.generate import generate, random_metal, random_silicon
from sciml.crystals.graphs import atoms_to_graph, collate, edge_vectors, periodic_neighbors
from sciml.crystals.invariant import InvariantNetwork
from sciml.crystals.models import build_potential, load_model, save_potential
from sciml.crystals.potential import Potential, Prediction
from sciml.crystals.references import fit_reference_energies
from sciml.crystals.structures import read_structures, write_structures
from sciml.crystals.training import train_potential

__all__ = [
    "EquivariantNetwork",
    "InvariantNetwork",
    "Potential",
    "Prediction",
    "Predictions",
    "atoms_to_graph",
    "build_potential",
    "collate",
    "edge_vectors",
    "error_metrics",
    "fit_reference_energies",
    "generate",
    "load_model",
    "periodic_neighbors",
    "predict",
    "random_metal",
    "random_silicon",
    "read_structures",
    "save_potential",
    "train_potential",
    "write_structures",
]
