"""The new-PDE example of docs/pinn.md is short and really trains to a small error."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "pinn.md"


def test_new_pde_example_runs_in_under_20_lines():
    text = DOC.read_text()
    section = text.split("## Your own PDE", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len([line for line in code.splitlines() if line.strip()]) < 20
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(DOC), "exec"), {})
    error = float(out.getvalue().split("rel L2")[1])
    assert error < 1e-2
