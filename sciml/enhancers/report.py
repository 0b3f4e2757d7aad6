"""metrics.json and a standalone HTML report (figures embedded) from the analysis directories."""

from __future__ import annotations

import base64
import html
import os
from pathlib import Path
from typing import Any

from sciml.enhancers.pipeline import read_summary
from sciml.errors import ConfigError
from sciml.files import write_text_atomic
from sciml.provenance import write_metrics

PART_DATASETS = {"ienhancer": "iEnhancer-2L", "irf1": "koo-irf1-chipseq", "mpra": "lentimpra-wtc11"}
FIGURES = ["filter_logos.png", "attribution.png", "spacing.png"]
TABLES = ["tomtom.tsv", "seqlets.tsv", "spacing.tsv"]


def parse_parts(items: list[str]) -> dict[str, str]:
    """`NAME=DIR` strings (the report verb's `--part`) as a mapping part name -> folder."""
    parts = {}
    for item in items:
        name, sep, folder = item.partition("=")
        if not sep:
            raise ConfigError("--part", f"expected NAME=DIR, got {item!r}")
        parts[name] = folder
    return parts


def collect_metrics(parts: dict[str, str | os.PathLike[str]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Per-part metrics (`{part: {key: value}}`) and settings from each part's summary.json."""
    metrics, settings = {}, {}
    for name, folder in parts.items():
        summary = read_summary(folder)
        metrics[name] = summary["metrics"]
        settings[name] = summary["settings"]
    return metrics, settings


def _image(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<img src="data:image/png;base64,{data}" style="max-width:100%">'


def _table(path: Path, max_rows: int = 40) -> str:
    lines = path.read_text().splitlines()
    head, body = lines[0].split("\t"), [line.split("\t") for line in lines[1:max_rows + 1]]
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in body)
    more = f"<p>({len(lines) - 1 - max_rows} more rows in {path.name})</p>" if len(lines) - 1 > max_rows else ""
    return f"<table><tr>{cells}</tr>{rows}</table>{more}"


#: The metrics shown in the report's compact table (all of them are in metrics.json).
HEADLINE = ["test_auroc", "kmer_auroc", "gc_auroc", "test_mcc", "expected_family_rank", "n_patterns",
            "auroc_mean", "bayes_auroc_mean", "motifs_recovered", "cv_accuracy", "cv_mcc", "irf_family_matched",
            "spacing_bp_recovered", "order_recovered", "cnn_pearson_mean", "cnn_pearson_sd", "kmer_pearson_mean",
            "kmer_pearson_sd", "gc_pearson_mean"]


def _dataset(part: str) -> str | None:
    return "koo-chipseq-200" if part.startswith("chipseq_") else PART_DATASETS.get(part)


def _shown(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def grammar_sentence(grammar: dict[str, Any] | None) -> str:
    """One sentence on a spacing probe's summary (`pipeline.probe_grammar`) for a reader of the report."""
    if not grammar:
        return "No positive pattern: no spacing probe."
    verdict = ("cooperative beyond the controls" if grammar["cooperative"] else "not beyond the controls")
    spacing = ("with a preferred gap" if grammar["spacing_specific"] else "without a gap standing out from the controls")
    additive = grammar["additive_from_bp"]
    overall = (f"Over all gaps and arrangements the mean interaction is {grammar['mean_interaction']:+.2f} logit"
               + (" (sub-additive: nearby motifs count for less than the two apart)" if grammar["sub_additive"] else "")
               + ("; additive at every gap." if additive == 0 else
                  f"; additive from {additive} bp on." if additive is not None else
                  "; still below the controls at the largest gap."))
    return (f"A = {grammar['label_a']}, B = {grammar['label_b']} (alone {grammar['effect_a']:+.2f} and "
            f"{grammar['effect_b']:+.2f} logit). Strongest interaction: {grammar['best_arrangement']} at "
            f"{grammar['best_gap_bp']} bp, {grammar['best_interaction']:+.2f} +/- {grammar['best_interaction_se']:.2f} "
            f"logit beyond the sum of the two alone; shuffled-motif controls {grammar['control_low']:+.2f} to "
            f"{grammar['control_high']:+.2f}: {verdict}, {spacing}. {overall}")


def _motif_section(name: str, folder: Path, summary: dict[str, Any], html_dir: Path) -> list[str]:
    """A task's discovered motifs first: logos with JASPAR matches, seqlet counts, attribution, modisco link."""
    m = summary["metrics"]
    family = summary["settings"].get("expected_family")
    rank = m.get("expected_family_rank")
    found = f"expected family {family}: " + (f"best match of pattern {rank}" if rank else "not among the patterns")
    out = [f"<h2>{html.escape(name)}</h2>",
           f"<p><b>test AUROC {m['test_auroc']:.3f}</b> (6-mer {m['kmer_auroc']:.3f}, GC only {m['gc_auroc']:.3f})"
           f"; {html.escape(found) if family else ''}</p>"]
    if (folder / "pattern_logos.png").is_file():
        out.append(_image(folder / "pattern_logos.png"))
    rows = "".join(f"<tr><td>{html.escape(p['pattern'])}</td><td>{p['n_seqlets']}</td>"
                   f"<td>{html.escape(p['jaspar_name'])} ({html.escape(p['jaspar_id'])})</td>"
                   f"<td>{html.escape(p['family'])}</td><td>{p['q_value']:.2g}</td></tr>" for p in summary["patterns"])
    out.append("<table><tr><th>pattern</th><th>seqlets</th><th>best JASPAR match</th><th>family</th>"
               f"<th>q-value</th></tr>{rows}</table>")
    if (folder / "spacing.png").is_file():
        out += ["<h3>Motif grammar: the two leading patterns by gap and arrangement</h3>",
                f"<p>{html.escape(grammar_sentence(summary.get('grammar')))}</p>", _image(folder / "spacing.png")]
    modisco = folder / "modisco_report" / "report.html"
    if modisco.is_file():
        link = os.path.relpath(modisco, html_dir)
        out.append(f'<p><a href="{html.escape(link)}">TF-MoDISco report</a> (seqlet examples, all matches)</p>')
    if (folder / "attribution.png").is_file():
        out += ["<h3>Attribution of the top-scoring test peaks</h3>", _image(folder / "attribution.png")]
    return out


def build_report(parts: dict[str, str | os.PathLike[str]], metrics_path: str | os.PathLike[str],
                 html_path: str | os.PathLike[str], seed: int) -> dict[str, Any]:
    """Write `metrics.json` (with provenance) and `report.html` from the analysis folders.

    The report leads with each ChIP-seq task's discovered motifs (logos, JASPAR matches, seqlet
    counts, attribution maps, a link to the modisco report), then the other parts' figures and
    tables, then a compact table of headline metrics.

    Args:
        parts: part name ("chipseq_<TF>", "synthetic", "ienhancer", "irf1", "grammar") -> its output folder.
        metrics_path: where metrics.json goes.
        html_path: where report.html goes.
        seed: the workflow seed, recorded in the provenance.

    Returns:
        The per-part metrics.
    """
    metrics, settings = collect_metrics(parts)
    datasets = sorted({d for d in (_dataset(p) for p in parts) if d})
    write_metrics(metrics_path, metrics, settings=settings, seed=seed, datasets=datasets)
    html_dir = Path(html_path).resolve().parent
    sections = ["<h1>sciml enhancers report</h1>"]
    for name, folder in parts.items():
        summary = read_summary(folder)
        if "patterns" in summary:
            sections += _motif_section(name, Path(folder).resolve(), summary, html_dir)
    for name, folder in parts.items():
        folder = Path(folder)
        if "patterns" in read_summary(folder):
            continue
        sections.append(f"<h2>{html.escape(name)}</h2>")
        for fig in FIGURES:
            if (folder / fig).is_file():
                sections += [f"<h3>{fig}</h3>", _image(folder / fig)]
        for table in TABLES:
            if (folder / table).is_file():
                sections += [f"<h3>{table}</h3>", _table(folder / table)]
    keys = [k for k in HEADLINE if any(k in m for m in metrics.values())]
    head = "".join(f"<th>{html.escape(k)}</th>" for k in ["part", *keys])
    rows = "".join("<tr><td>" + html.escape(name) + "</td>" + "".join(
        f"<td>{html.escape(_shown(m[k])) if k in m else ''}</td>" for k in keys) + "</tr>"
        for name, m in metrics.items())
    sections += ["<h2>Metrics</h2>", f"<table><tr>{head}</tr>{rows}</table>",
                 f"<p>Every metric, with provenance: {html.escape(Path(metrics_path).name)}</p>"]
    style = "<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:2px 6px;font-size:80%}table{border-collapse:collapse}</style>"
    write_text_atomic(html_path, f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>sciml enhancers</title>{style}</head><body>{''.join(sections)}</body></html>\n")
    return metrics
