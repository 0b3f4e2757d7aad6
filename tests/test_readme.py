"""The README works as pasted: its commands exist, the library example runs, the data command verifies the files."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

from sciml.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_is_short_and_names_the_two_commands_ci_runs():
    text = README.read_text()
    assert len(text.splitlines()) <= 80
    first = _blocks("bash")[0]
    assert first.splitlines()[0].startswith("make run") and first.splitlines()[1].startswith("make test")
    makefile = (README.parent / "Makefile").read_text()
    for target in ("run", "test", "docs"):
        assert re.search(rf"^{target}:", makefile, flags=re.M), target
    assert "make test" in (README.parent / ".ci" / "run").read_text()


def test_readme_links_point_at_files():
    for target in re.findall(r"\]\(([^)#:]+)\)", README.read_text()):
        assert (README.parent / target).exists(), target


def test_library_example_trains_saves_and_loads(tmp_path, monkeypatch, capsys):
    (example,) = [b for b in _blocks("python") if "from sciml.train import" in b]
    monkeypatch.chdir(tmp_path)
    script = tmp_path / "example.py"
    script.write_text(example)
    runpy.run_path(str(script), run_name="__main__")
    best_epoch, best_value = capsys.readouterr().out.split()
    assert int(best_epoch) >= 1 and float(best_value) < 1.0
    assert (tmp_path / "results" / "example" / "model" / "model.safetensors").is_file()
    assert (tmp_path / "results" / "example" / "metrics.csv").is_file()
    assert (tmp_path / "results" / "example" / "model" / "config.json").is_file()


def test_data_fetch_command_verifies_what_the_readme_says(tmp_path, monkeypatch, data_mirror, capsys):
    claims = re.findall(r"sciml data fetch mitdb\s+# (\d+) files", "".join(_blocks("bash")))
    assert claims, "the README no longer shows the data command"
    claimed = int(claims[0])
    monkeypatch.setenv("SCIML_DATA_MIRROR", str(data_mirror))
    assert main(["data", "fetch", "mitdb", "--root", str(tmp_path)]) == 0
    assert len(list((tmp_path / "mitdb").iterdir())) == claimed
