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

PART_DATASETS = {"ienhancer": "iEnhancer-2L", "irf1": "koo-irf1-chipseq"}
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


def _flat(prefix: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [kv for k, v in value.items() for kv in _flat(f"{prefix}.{k}", v)]
    return [(prefix, value)]


def build_report(parts: dict[str, str | os.PathLike[str]], metrics_path: str | os.PathLike[str],
                 html_path: str | os.PathLike[str], seed: int) -> dict[str, Any]:
    """Write `metrics.json` (with provenance) and `report.html` from the analysis folders.

    Args:
        parts: part name ("synthetic", "ienhancer", "irf1", "grammar") -> its output folder.
        metrics_path: where metrics.json goes.
        html_path: where report.html goes.
        seed: the workflow seed, recorded in the provenance.

    Returns:
        The per-part metrics.
    """
    metrics, settings = collect_metrics(parts)
    datasets = [PART_DATASETS[p] for p in parts if p in PART_DATASETS]
    write_metrics(metrics_path, metrics, settings=settings, seed=seed, datasets=datasets)
    sections = ["<h1>sciml enhancers report</h1>", "<h2>Metrics</h2>", "<table>"]
    for key, value in _flat("", metrics):
        shown = f"{value:.4f}" if isinstance(value, float) else str(value)
        sections.append(f"<tr><td>{html.escape(key[1:])}</td><td>{html.escape(shown)}</td></tr>")
    sections.append("</table>")
    for name, folder in parts.items():
        folder = Path(folder)
        sections.append(f"<h2>{html.escape(name)}</h2>")
        for fig in FIGURES:
            if (folder / fig).is_file():
                sections += [f"<h3>{fig}</h3>", _image(folder / fig)]
        for table in TABLES:
            if (folder / table).is_file():
                sections += [f"<h3>{table}</h3>", _table(folder / table)]
    style = "<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:2px 6px;font-size:80%}table{border-collapse:collapse}</style>"
    write_text_atomic(html_path, f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>sciml enhancers</title>{style}</head><body>{''.join(sections)}</body></html>\n")
    return metrics
