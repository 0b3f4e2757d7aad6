"""The documentation site: generated pages from small stand-ins, and the strict build itself."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sciml import settings

REPO = Path(__file__).resolve().parents[1]


def _load_generator():
    spec = importlib.util.spec_from_file_location("docs_pages", REPO / "scripts" / "docs_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pages = _load_generator()


@dataclass(frozen=True)
class FitSettings:
    """Optimisation.

    Attributes:
        lr: learning rate | of AdamW.
        epochs: passes over the data.
        records: record names, "100" style.
    """

    lr: float = 1e-3
    epochs: int = 10
    records: tuple[str, ...] = ("100", "101")


@dataclass(frozen=True)
class DemoWorkflow:
    """The `demo:` section of the workflow config.

    Attributes:
        enabled: run the demo rules.
        mode: how to run.
        train: training job.
    """

    enabled: bool = True
    mode: str | None = None
    train: FitSettings = field(default_factory=FitSettings)


def test_config_reference_renders_nested_tables_and_marks_default_yaml(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "workflow_settings_class", lambda domain: DemoWorkflow)
    default = tmp_path / "default.yaml"
    default.write_text("seed: 0\ndemo:\n  enabled: true\n  train:\n    epochs: 3\n")
    text = pages.config_reference(["demo"], default_config=default)
    assert "## `demo` { #cfg-demo }" in text and "### `demo.train` { #cfg-demo-train }" in text
    assert "| `enabled` | boolean | `true` | ✓ | run the demo rules. |" in text
    assert "| `epochs` | integer | `10` | `3` | passes over the data. |" in text
    assert "| `lr` | number | `0.001` |  | learning rate \\| of AdamW. |" in text  # pipes escaped
    assert "| `mode` | string or null | `null` |" in text
    assert "[settings](#cfg-demo-train)" in text
    assert "| `seed` | `0` |" in text  # global keys listed too


def test_config_reference_fails_on_a_domain_without_settings(tmp_path, monkeypatch):
    def missing(domain):
        raise ModuleNotFoundError(f"No module named 'sciml.{domain}.settings'")

    monkeypatch.setattr(settings, "workflow_settings_class", missing)
    with pytest.raises(ModuleNotFoundError):
        pages.config_reference(["demo"], default_config=tmp_path / "absent.yaml")


def test_cli_reference_lists_every_verb_and_argument():
    def build_parser(argv):
        parser = argparse.ArgumentParser(prog="sciml")
        parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
        groups = parser.add_subparsers(dest="domain")
        demo = groups.add_parser("demo", help="a demo group", description="A demo group.")
        verbs = demo.add_subparsers(dest="verb")
        train = verbs.add_parser("train", help="train a model")
        train.add_argument("--in", dest="inputs", required=True, help="input file")
        train.add_argument("--config", metavar="FILE", help="settings file")
        train.add_argument("--threads", type=int, default=1, help="CPU threads")
        train.add_argument("names", nargs="*", help="records")
        verbs.add_parser("plot", help="draw it")
        return parser

    text = pages.cli_reference(build_parser, groups=["demo"])
    assert "## `sciml demo`" in text and "A demo group." in text
    assert "### `sciml demo train`" in text and "train a model" in text
    assert "| `--in` `INPUTS` | yes |  | input file |" in text
    assert "| `--config` `FILE` |  |  | settings file |" in text
    assert "| `--threads` `THREADS` |  | `1` | CPU threads |" in text
    assert "| `names` |  |  | records |" in text
    assert "### `sciml demo plot`" in text and "| `-v`, `--verbose` |" in text


def test_cli_reference_of_the_real_parser_has_the_data_group():
    text = pages.cli_reference(groups=["data"])
    for verb in ("list", "fetch", "manifest"):
        assert f"### `sciml data {verb}`" in text


def test_api_pages_follow_the_package_tree(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    for name in ("__init__.py", "a.py", "_private.py", "sub/__init__.py", "sub/b.py"):
        (package / name).write_text('"""Doc."""\n')
    api = pages.api_pages(package, "pkg")
    assert api["a.md"] == "# `pkg.a`\n\n::: pkg.a\n"
    assert api["sub/index.md"].endswith("::: pkg.sub\n") and "sub/b.md" in api
    assert not any("_private" in key for key in api)
    assert api["SUMMARY.md"].splitlines() == ["* [pkg](index.md)", "* [a](a.md)", "* [sub](sub/index.md)",
                                              "    * [b](sub/b.md)"]


def test_api_pages_cover_the_real_package():
    api = pages.api_pages()
    for module in ("settings.md", "models.md", "data/registry.md", "nn/index.md", "train/index.md"):
        assert module in api


def test_examples_pages_render_docstring_and_code(tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "_domains", lambda: ("demo",))
    folder = tmp_path / "examples" / "demo"
    folder.mkdir(parents=True)
    (folder / "first.py").write_text('"""Fit a line.\n\nShows `fit` on toy data.\n"""\n\nprint("hi")\n')
    out = pages.examples_pages(tmp_path)
    assert "## Fit a line\n" in out["demo.md"] and "Shows `fit` on toy data." in out["demo.md"]
    assert '```python\nprint("hi")\n```' in out["demo.md"] and '"""' not in out["demo.md"]
    assert "[demo](demo.md)" in out["index.md"] and "* [demo](demo.md)" in out["SUMMARY.md"]
    empty = pages.examples_pages(tmp_path / "nowhere")
    assert "No example scripts" in empty["index.md"]


METRICS = {
    "test": {"accuracy": 0.991, "macro_f1": 0.5, "S_se": 0.27},
    "adaptive": {"S_se": 0.41},
    "rpeak": {"se": 0.997, "xqrs_se": 0.981},
    "provenance": {"git": {"commit": "a" * 40, "dirty": False}, "seed": 0, "sciml_version": "0.2.0",
                   "config_sha256": "b" * 64},
}


def test_results_page_without_numbers_builds_and_says_where_they_come_from(tmp_path):
    text = pages.results_page(tmp_path, ["ecg"])
    assert "last `make run`" in text and "No metrics yet" in text


def test_results_page_prefers_the_run_over_the_snapshot(tmp_path):
    snapshot = dict(METRICS, test={"accuracy": 0.5}, snapshot={"date": "2026-12-01"})
    (tmp_path / "docs" / "results").mkdir(parents=True)
    (tmp_path / "docs" / "results" / "ecg.json").write_text(json.dumps(snapshot))
    text = pages.results_page(tmp_path, ["ecg"])
    assert "| inter-patient accuracy | **0.5** |" in text and "date: 2026-12-01" in text
    assert "committed snapshot" in text
    (tmp_path / "results" / "ecg").mkdir(parents=True)
    (tmp_path / "results" / "ecg" / "metrics.json").write_text(json.dumps(METRICS))
    text = pages.results_page(tmp_path, ["ecg"])
    assert "| inter-patient accuracy | **0.991** |" in text
    assert "| S sensitivity | **0.27** | patient-adaptive | 0.41 |" in text
    assert "| R-peak detector sensitivity | **0.997** | XQRS | 0.981 |" in text
    assert "git commit: `aaaaaaaaaaaa`" in text and "this checkout's last run" in text
    assert "| `rpeak.xqrs_se` | 0.981 |" in text  # the folded list of every metric


def test_snapshot_copies_metrics_with_their_date(tmp_path):
    (tmp_path / "results" / "ecg").mkdir(parents=True)
    (tmp_path / "results" / "ecg" / "metrics.json").write_text(json.dumps(METRICS))
    (written,) = pages.snapshot_results(tmp_path, ["ecg", "hic"])
    assert written == tmp_path / "docs" / "results" / "ecg.json"
    copied = json.loads(written.read_text())
    assert copied["test"] == METRICS["test"] and len(copied["snapshot"]["date"]) == 10


def test_a_domains_summary_parts_join_its_results_and_snapshot(tmp_path):
    out = tmp_path / "results" / "crystals"
    (out / "zuo2020").mkdir(parents=True)
    (out / "metrics.json").write_text(json.dumps({"equivariance_error": 1e-12}))
    (out / "zuo2020" / "metrics.json").write_text(json.dumps(
        {"Si": {"validation": {"energy_mae_mev_per_atom": 3.62}, "published_test_mae": {"GAP": {"energy": 2.91}}}}))
    text = pages.results_page(tmp_path, ["crystals"])
    assert "| DFT Si (Zuo 2020), validation energy MAE (meV/atom) | **3.62** | GAP, official test split | 2.91 |" in text
    (written,) = pages.snapshot_results(tmp_path, ["crystals"])
    assert json.loads(written.read_text())["zuo2020"]["Si"]["validation"]["energy_mae_mev_per_atom"] == 3.62


def test_data_page_lists_every_registered_data_set():
    from sciml.data import REGISTRY

    text = pages.data_page()
    for ds in REGISTRY.values():
        assert f"| `{ds.name}` |" in text and ds.licence in text and ds.citation in text
    assert "| 93 (+51 by download) |" in text  # the mirror's 31 MIT-BIH records; 48 by download


def test_no_work_log_words_in_the_docs():
    for path in [REPO / "README.md", REPO / "CHANGELOG.md", *sorted((REPO / "docs").glob("*.md"))]:
        if path.stem in settings.DOMAINS:
            continue  # the user guides are checked by their domains
        text = path.read_text().lower()
        assert "session" not in text and "superseded" not in text, path


MISSING_SETTINGS = [d for d in settings.DOMAINS if not (REPO / "sciml" / d / "settings.py").is_file()]


@pytest.mark.skipif(shutil.which("mkdocs") is None and not (Path(sys.executable).parent / "mkdocs").exists(),
                    reason="mkdocs not installed (the docs extra)")
@pytest.mark.skipif(bool(MISSING_SETTINGS), reason=f"no settings module yet for {MISSING_SETTINGS}")
def test_mkdocs_build_strict(tmp_path):
    """The whole site builds without a warning (about 30 s; `make docs` in .ci/run builds it too)."""
    mkdocs = Path(sys.executable).parent / "mkdocs"
    command = [str(mkdocs) if mkdocs.exists() else "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-6000:]
    assert (tmp_path / "site" / "reference" / "config" / "index.html").is_file()


def test_shapes_sections_become_lists():
    spec = importlib.util.spec_from_file_location("griffe_shapes", REPO / "scripts" / "griffe_shapes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    doc = "Block.\n\nShapes:\n    x: (N, C, L).\n    output: (N, C, L),\n        same as x.\n\nReturns:\n    y.\n"
    assert module.shapes_as_list(doc) == (
        "Block.\n\nShapes:\n    - x: (N, C, L).\n    - output: (N, C, L),\n        same as x.\n\nReturns:\n    y.")
