"""metrics.json (with provenance) and the HTML report from analysis directories."""

from __future__ import annotations

import json

import numpy as np
import pytest

from sciml.enhancers.plots import logo_grid
from sciml.enhancers.report import build_report, parse_parts
from sciml.errors import ConfigError, InputError


def part(folder, metrics):
    folder.mkdir()
    (folder / "summary.json").write_text(json.dumps({"metrics": metrics, "settings": {"n": 1}}))
    return folder


def test_report_merges_parts(tmp_path):
    syn = part(tmp_path / "syn", {"auroc_mean": 0.9, "motifs_recovered": 11, "train_seconds": 3.0})
    ien = part(tmp_path / "ien", {"cv_accuracy": 0.8})
    logo_grid(syn / "filter_logos.png", [np.full((4, 6), 0.25), np.eye(4)[:, [0, 1, 2, 3, 0, 1]] * 0.9 + 0.025],
              ["flat", "sharp"])
    (syn / "tomtom.tsv").write_text("filter\tbest_match\nfilter0\tMA0079.5\n")
    metrics = build_report({"synthetic": syn, "ienhancer": ien}, tmp_path / "metrics.json", tmp_path / "r.html", seed=3)
    assert metrics["synthetic"]["motifs_recovered"] == 11
    doc = json.loads((tmp_path / "metrics.json").read_text())
    assert doc["ienhancer"]["cv_accuracy"] == 0.8
    assert doc["provenance"]["seed"] == 3 and "iEnhancer-2L" in doc["provenance"]["data"]
    html = (tmp_path / "r.html").read_text()
    assert "data:image/png;base64," in html and "MA0079.5" in html and "<th>auroc_mean</th>" in html


def test_report_leads_with_the_discovered_motifs(tmp_path):
    chip = part(tmp_path / "foxk2", {"test_auroc": 0.91, "kmer_auroc": 0.82, "gc_auroc": 0.68,
                                     "expected_family_rank": 1, "n_patterns": 2})
    summary = json.loads((chip / "summary.json").read_text())
    summary["settings"] = {"expected_family": "FOX"}
    summary["patterns"] = [{"pattern": "pos_patterns.pattern_0", "n_seqlets": 812, "jaspar_id": "MA1103.3",
                            "jaspar_name": "FOXK2", "family": "FOX", "q_value": 1e-6}]
    (chip / "summary.json").write_text(json.dumps(summary))
    logo_grid(chip / "pattern_logos.png", [np.eye(4)[:, [3, 0, 3, 3, 3, 0]] * 0.9 + 0.025], ["FOXK2"])
    (chip / "modisco_report").mkdir()
    (chip / "modisco_report" / "report.html").write_text("<html></html>")
    syn = part(tmp_path / "syn", {"auroc_mean": 0.9})
    build_report({"chipseq_FOXK2": chip, "synthetic": syn}, tmp_path / "m.json", tmp_path / "out" / "r.html", seed=0)
    html = (tmp_path / "out" / "r.html").read_text()
    assert html.index("data:image/png") < html.index("<h2>Metrics</h2>")
    assert "FOXK2 (MA1103.3)" in html and "812" in html and 'href="../foxk2/modisco_report/report.html"' in html
    assert "koo-chipseq-200" in json.loads((tmp_path / "m.json").read_text())["provenance"]["data"]


def test_missing_part_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="summary.json missing"):
        build_report({"synthetic": tmp_path}, tmp_path / "m.json", tmp_path / "r.html", seed=0)
    assert not (tmp_path / "m.json").exists()


def test_parts_are_name_equals_folder():
    assert parse_parts(["a=x/y", "b=z"]) == {"a": "x/y", "b": "z"}
    with pytest.raises(ConfigError, match="NAME=DIR"):
        parse_parts(["nofolder"])
