"""AAMI EC57 beat classes, the MIT-BIH symbol mapping and the de Chazal et al. (2004) record split."""

from __future__ import annotations

import numpy as np

#: AAMI EC57 heartbeat classes, in the index order every model and table uses.
CLASSES: tuple[str, ...] = ("N", "S", "V", "F", "Q")

#: MIT-BIH beat annotation symbol -> AAMI class (de Chazal et al., IEEE TBME 51(7), 2004).
SYMBOL_TO_CLASS: dict[str, str] = {
    "N": "N", "L": "N", "R": "N", "e": "N", "j": "N",
    "A": "S", "a": "S", "J": "S", "S": "S",
    "V": "V", "E": "V",
    "F": "F",
    "/": "Q", "f": "Q", "Q": "Q",
}

#: Records with paced beats, excluded from the inter-patient protocol.
PACED_RECORDS: tuple[str, ...] = ("102", "104", "107", "217")

#: de Chazal et al. (2004) training records (DS1) and test records (DS2) of the full database.
DS1: tuple[str, ...] = (
    "101", "106", "108", "109", "112", "114", "115", "116", "118", "119", "122",
    "124", "201", "203", "205", "207", "208", "209", "215", "220", "223", "230",
)
DS2: tuple[str, ...] = (
    "100", "103", "105", "111", "113", "117", "121", "123", "200", "202", "210",
    "212", "213", "214", "219", "221", "222", "228", "231", "232", "233", "234",
)


def is_beat(symbol: str) -> bool:
    """True for annotation symbols that mark a heartbeat with an AAMI class."""
    return symbol in SYMBOL_TO_CLASS


def class_index(symbols: list[str] | np.ndarray) -> np.ndarray:
    """AAMI class index (0..4, see `CLASSES`) of each beat symbol.

    Args:
        symbols: (N,) MIT-BIH beat symbols; every one must be a beat (`is_beat`).

    Returns:
        (N,) int64 indices into `CLASSES`.
    """
    index = {name: i for i, name in enumerate(CLASSES)}
    try:
        return np.array([index[SYMBOL_TO_CLASS[s]] for s in symbols], dtype=np.int64)
    except KeyError as exc:
        raise ValueError(f"symbol {exc.args[0]!r} is not an AAMI beat symbol") from None


def split_records(available: list[str], *, exclude_paced: bool = True) -> tuple[list[str], list[str]]:
    """The inter-patient split restricted to `available` record names: (DS1 records, DS2 records)."""
    keep = [r for r in available if not (exclude_paced and r in PACED_RECORDS)]
    return sorted(r for r in keep if r in DS1), sorted(r for r in keep if r in DS2)
