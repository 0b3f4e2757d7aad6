"""Lazy package exports: a domain package's public names, imported from their modules on first use (PEP 562).

The workflow imports every `sciml.<domain>.settings` at start to validate its config; an eager
package `__init__` would load torch, e3nn and scipy for that, at every Snakemake start.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The `__getattr__` and `__dir__` of a package whose public names live in its modules.

    Args:
        package: the package's `__name__`.
        exports: public name -> the module defining it, relative to the package (``".io"``) or
            absolute (``"sciml.models"``).

    Returns:
        `(__getattr__, __dir__)` to assign at module level; a name, once imported, is cached in the package.
    """

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(exports) | set(vars(sys.modules[package])))

    return __getattr__, __dir__
