"""metrics.json (with provenance) and the HTML report from analysis directories."""

from __future__ import annotations

import json
import shutil
import subprocess

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


def test_report_shows_the_spacing_probe_with_its_verdict(tmp_path):
    from sciml.enhancers.plots import interaction_plot

    chip = part(tmp_path / "lef1", {"test_auroc": 0.85, "kmer_auroc": 0.82, "gc_auroc": 0.54})
    summary = json.loads((chip / "summary.json").read_text())
    summary["patterns"] = []
    summary["grammar"] = {"label_a": "TCF7L2", "label_b": "GATA5", "effect_a": 1.5, "effect_b": 0.7,
                          "best_arrangement": "TCF7L2+ GATA5-", "best_gap_bp": 4, "best_interaction": 0.9,
                          "best_interaction_se": 0.1, "control_low": -0.2, "control_high": 0.3,
                          "cooperative": True, "spacing_specific": False, "mean_interaction": -0.4,
                          "sub_additive": True, "additive_from_bp": 33}
    (chip / "summary.json").write_text(json.dumps(summary))
    rng = np.random.default_rng(0)
    interaction_plot(chip / "spacing.png", np.arange(5), rng.normal(size=(4, 5)), np.full((4, 5), 0.1),
                     rng.normal(size=(4, 5, 2)), ["a", "b", "c", "d"], "test")
    build_report({"chipseq_LEF1": chip}, tmp_path / "m.json", tmp_path / "r.html", seed=0)
    html = (tmp_path / "r.html").read_text()
    assert "TCF7L2+ GATA5- at 4 bp, +0.90 +/- 0.10" in html and "cooperative beyond the controls" in html
    assert "without a gap standing out" in html and "sub-additive" in html and "additive from 33 bp on" in html


BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)


@pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine")
def test_report_opens_with_motif_logos_in_a_headless_browser(tmp_path):
    from PIL import Image

    chip = part(tmp_path / "gabpa", {"test_auroc": 0.87, "kmer_auroc": 0.83, "gc_auroc": 0.44})
    summary = json.loads((chip / "summary.json").read_text())
    summary["patterns"] = [{"pattern": "pos_patterns.pattern_0", "n_seqlets": 443, "jaspar_id": "MA0645.2",
                            "jaspar_name": "ETV6", "family": "Ets", "q_value": 9e-6}]
    (chip / "summary.json").write_text(json.dumps(summary))
    ets = np.eye(4)[:, ["ACGT".index(b) for b in "ACCGGAAGT"]] * 0.9 + 0.025
    logo_grid(chip / "pattern_logos.png", [ets, ets[::-1, ::-1]], ["ETS", "ETS rc"], columns=2)
    build_report({"chipseq_GABPA": chip}, tmp_path / "m.json", tmp_path / "r.html", seed=0)
    shot = tmp_path / "shot.png"
    subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--screenshot={shot}", "--window-size=1000,700", (tmp_path / "r.html").as_uri()],
                   check=True, capture_output=True, timeout=120)
    pixels = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    # the first screen shows the logos: logomaker's classic green A, blue C, orange G, red T
    assert ((g > 100) & (r < 60) & (b < 60)).sum() > 200
    assert ((b > 200) & (r < 60) & (g < 60)).sum() > 200
    assert ((r > 200) & (g > 120) & (g < 200) & (b < 60)).sum() > 200
