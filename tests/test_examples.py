"""Every example script (`examples/<domain>/*.py`) runs to the end in its reduced form.

Each script runs in a fresh temporary folder with `SCIML_EXAMPLES_QUICK=1`, as a user would run it,
with the repository on `PYTHONPATH`. New scripts are collected automatically.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(p for p in (REPO / "examples").glob("*/*.py") if not p.name.startswith("_"))


@pytest.mark.parametrize("script", SCRIPTS, ids=[f"{p.parent.name}/{p.name}" for p in SCRIPTS])
def test_example_runs_quick(script: Path, tmp_path: Path) -> None:
    env = dict(os.environ, SCIML_EXAMPLES_QUICK="1", MPLBACKEND="Agg")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, f"{script.name} exited {result.returncode}:\n{result.stderr[-4000:]}"


def test_every_example_has_a_docstring_title() -> None:
    """The docs render each script's docstring: its first line is the example's title."""
    import ast

    for script in SCRIPTS:
        doc = ast.get_docstring(ast.parse(script.read_text()))
        assert doc and doc.splitlines()[0].strip(), f"{script} has no module docstring"
