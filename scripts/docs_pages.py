"""Generated pages of the documentation site (run by mkdocs-gen-files at every `mkdocs build`).

Each `*_page` function returns Markdown text from the source of truth it documents, so a new domain,
module, verb, setting, data set or example script appears in the site without editing the docs:

- `examples_pages`: `examples/<domain>/*.py` (docstring as text, code as a block);
- `config_reference`: `sciml.settings.json_schema` of each domain's `WORKFLOW_SETTINGS`, marking the
  keys `workflows/config/default.yaml` sets;
- `cli_reference`: the argparse parser of `sciml.cli.build_parser`, every verb of every domain;
- `api_pages`: one mkdocstrings page per module of the `sciml` package (found with pkgutil);
- `results_page`: `results/<domain>/metrics.json` when present, else the committed snapshots
  `docs/results/<domain>.json` (`make docs-snapshot`);
- `data_page`: `sciml.data.REGISTRY`.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = ROOT / "workflows" / "config" / "default.yaml"


def _cell(text: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def _code(value: Any) -> str:
    return f"`{_cell(json.dumps(value))}`"


TITLES = {"enhancers": "Enhancers", "hic": "Hi-C", "ecg": "ECG", "crystals": "Crystals", "pinn": "PINNs"}


def _title(domain: str) -> str:
    return TITLES.get(domain, domain)


def _domains() -> tuple[str, ...]:
    from sciml.settings import DOMAINS

    return DOMAINS


# --------------------------------------------------------------------------------------------- examples


def example_section(path: Path) -> str:
    """One example script as Markdown: its docstring (title line as heading) and its code."""
    source = path.read_text()
    tree = ast.parse(source)
    doc = ast.get_docstring(tree) or ""
    title, _, body = doc.partition("\n")
    code = source
    if doc and tree.body and isinstance(tree.body[0], ast.Expr):
        code = "\n".join(source.splitlines()[tree.body[0].end_lineno:]).strip("\n")
    heading = title.strip().rstrip(".") or path.stem
    return (f"## {heading}\n\n`examples/{path.parent.name}/{path.name}`\n\n{body.strip()}\n\n"
            f"```python\n{code}\n```\n")


def examples_pages(root: Path = ROOT) -> dict[str, str]:
    """Pages under `examples/`: an overview, one page per domain with examples, and the nav file."""
    folder = root / "examples"
    scripts: dict[str, list[Path]] = {}
    for path in sorted(folder.glob("*/*.py")):
        if not path.name.startswith("_"):
            scripts.setdefault(path.parent.name, []).append(path)
    order = [d for d in _domains() if d in scripts] + sorted(d for d in scripts if d not in _domains())
    lines = ["# Examples", "",
             "Plain Python scripts using the library API, one folder per domain under `examples/`. "
             "Run one from the repository root with `python examples/<domain>/<script>.py`; it writes "
             "its outputs under the current directory. With `SCIML_EXAMPLES_QUICK=1` each script runs "
             "a reduced version in about a minute; the test suite runs every script that way "
             "(`tests/test_examples.py`).", ""]
    if not order:
        lines.append("No example scripts are present in `examples/`.")
    pages: dict[str, str] = {}
    for domain in order:
        lines.append(f"- [{_title(domain)}]({domain}.md): " + ", ".join(f"`{p.name}`" for p in scripts[domain]))
        pages[f"{domain}.md"] = (f"# {_title(domain)} examples\n\n"
                                 + "\n".join(example_section(p) for p in scripts[domain]))
    pages["index.md"] = "\n".join(lines) + "\n"
    pages["SUMMARY.md"] = "* [Overview](index.md)\n" + "".join(f"* [{_title(d)}]({d}.md)\n" for d in order)
    return pages


# ----------------------------------------------------------------------------------------- config reference


def schema_type(schema: Mapping[str, Any]) -> str:
    """A short human type name of a JSON-schema node."""
    if "properties" in schema:
        return "settings"
    if "enum" in schema:
        return "one of " + ", ".join(json.dumps(v) for v in schema["enum"])
    if "anyOf" in schema:
        return " or ".join(schema_type(s) for s in schema["anyOf"])
    kind = schema.get("type")
    if kind == "array":
        if "prefixItems" in schema:
            return "[" + ", ".join(schema_type(s) for s in schema["prefixItems"]) + "]"
        return f"list of {schema_type(schema['items'])}" if "items" in schema else "list"
    if kind == "object":
        extra = schema.get("additionalProperties")
        return f"mapping to {schema_type(extra)}" if isinstance(extra, Mapping) else "mapping"
    return str(kind) if kind else "any"


def _anchor(key: str) -> str:
    return "cfg-" + key.replace(".", "-").replace("_", "-").lower()


def _settings_tables(key: str, schema: Mapping[str, Any], chosen: Any, level: int) -> list[str]:
    """A table of one settings dataclass, then one sub-section per nested settings field."""
    heading = "#" * min(level, 6)
    lines = [f'{heading} `{key}` {{ #{_anchor(key)} }}', ""]
    if schema.get("description"):
        lines += [schema["description"], ""]
    chosen = chosen if isinstance(chosen, Mapping) else {}
    lines += ["| key | type | default | `default.yaml` | description |", "|---|---|---|---|---|"]
    nested = []
    for name, field in schema.get("properties", {}).items():
        dotted = f"{key}.{name}"
        if "properties" in field:
            kind = f"[settings](#{_anchor(dotted)})"
            default = "see below"
            nested.append((dotted, field, chosen.get(name)))
        else:
            kind = _cell(schema_type(field))
            default = _code(field["default"]) if "default" in field else "required"
        in_default = ""
        if name in chosen:
            if isinstance(chosen[name], Mapping):
                in_default = "sets nested keys"
            elif "default" in field and json.dumps(chosen[name]) == json.dumps(field["default"]):
                in_default = "✓"  # sets it, to the default value
            else:
                in_default = _code(chosen[name])
        lines.append(f"| `{name}` | {kind} | {default} | {in_default} | {_cell(field.get('description', ''))} |")
    lines.append("")
    for dotted, field, sub in nested:
        lines += _settings_tables(dotted, field, sub, level + 1)
    return lines


def config_reference(domains: Iterable[str] | None = None, default_config: Path = DEFAULT_CONFIG) -> str:
    """The config reference: one nested set of tables per domain section of the workflow config.

    Every domain in `domains` (default `sciml.settings.DOMAINS`) must have its
    `WORKFLOW_SETTINGS`; a missing one fails the build rather than leaving a gap.
    """
    from sciml import settings

    chosen = yaml.safe_load(default_config.read_text()) if default_config.is_file() else {}
    domains = _domains() if domains is None else tuple(domains)
    lines = [
        "# Config reference",
        "",
        "Generated from the settings dataclasses (`sciml/<domain>/settings.py`, `WORKFLOW_SETTINGS`): "
        "these are the only home of default values. A workflow config (`workflows/config/*.yaml`) holds "
        "one section per domain; any key left out takes the default shown here, and an unknown key stops "
        "the run naming its dotted path. The column `default.yaml` shows the value "
        "`workflows/config/default.yaml` chooses where it sets one (✓: it sets the default value). Each job's settings are also what "
        "the matching `sciml <domain> <verb> --config FILE` reads (see the [CLI reference](cli.md)).",
        "",
    ]
    top = [k for k in chosen if k not in domains]
    if top:
        lines += ["## Global keys", "", "| key | `default.yaml` |", "|---|---|"]
        lines += [f"| `{k}` | {_code(chosen[k])} |" for k in top]
        lines.append("")
    for domain in domains:
        schema = settings.json_schema(settings.workflow_settings_class(domain))
        lines += _settings_tables(domain, schema, chosen.get(domain), 2)
    return "\n".join(lines) + "\n"


# -------------------------------------------------------------------------------------------- CLI reference


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:
    return next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)


def _argument_row(action: argparse.Action) -> str:
    names = ", ".join(f"`{o}`" for o in action.option_strings) or f"`{action.metavar or action.dest}`"
    if action.option_strings and action.nargs != 0:
        metavar = action.metavar or action.dest.upper()
        names += f" `{' '.join(metavar) if isinstance(metavar, tuple) else metavar}`"
    default = ""
    if action.option_strings and action.default not in (None, False, [], argparse.SUPPRESS) and action.nargs != 0:
        default = _code(action.default if isinstance(action.default, int | float | str | bool) else str(action.default))
    if action.option_strings:
        required = "yes" if action.required else ""
    else:  # argparse marks every positional required, even nargs="*"
        required = "" if action.nargs in ("?", "*") else "yes"
    helptext = (action.help or "") if action.help != argparse.SUPPRESS else ""
    if action.choices and not isinstance(action.choices, Mapping):
        helptext += " (choices: " + ", ".join(str(c) for c in action.choices) + ")"
    if "%(" in helptext:
        try:
            helptext = helptext % dict(vars(action), prog="sciml")
        except (KeyError, TypeError, ValueError):
            pass
    return f"| {names} | {required} | {default} | {_cell(helptext)} |"


def _verb_sections(prog: str, parser: argparse.ArgumentParser, level: int) -> list[str]:
    lines: list[str] = []
    sub = _subparsers(parser)
    helps = {a.dest: a.help for a in sub._choices_actions} if sub else {}
    for verb, verb_parser in (sub.choices.items() if sub else []):
        name = f"{prog} {verb}"
        lines += [f"{'#' * min(level, 6)} `{name}`", ""]
        summary = helps.get(verb) or ""
        description = verb_parser.description or ""
        for text in dict.fromkeys(t for t in (summary, description) if t):
            lines += [text, ""]
        rows = [_argument_row(a) for a in verb_parser._actions
                if not isinstance(a, argparse._HelpAction | argparse._SubParsersAction)]
        if rows:
            lines += ["| argument | required | default | help |", "|---|---|---|---|", *rows, ""]
        lines += _verb_sections(name, verb_parser, level + 1)
    return lines


def cli_reference(build_parser: Callable[[list[str]], argparse.ArgumentParser] | None = None,
                  groups: Iterable[str] | None = None) -> str:
    """The CLI reference: every `sciml <group> <verb>` with its help and arguments, from the parser."""
    from sciml import cli

    build_parser = build_parser or cli.build_parser
    groups = tuple(cli.DOMAINS) if groups is None else tuple(groups)
    lines = ["# CLI reference", "",
             "Generated from the argument parser (`sciml.cli.build_parser`). Every group also answers "
             "`sciml <group> --help`. Compute verbs read their settings with `--config FILE` (JSON or "
             "YAML, keys as in the [config reference](config.md)) and `--set key.sub=value`; data "
             "arguments are flags.", ""]
    top = build_parser([])
    rows = [_argument_row(a) for a in top._actions
            if a.option_strings and not isinstance(a, argparse._HelpAction)]
    lines += ["## `sciml`", "", "| argument | required | default | help |", "|---|---|---|---|", *rows, ""]
    for group in groups:
        parser = build_parser([group])
        group_parser = _subparsers(parser).choices[group]
        lines += [f"## `sciml {group}`", ""]
        if group_parser.description:
            lines += [group_parser.description, ""]
        elif group in cli.DOMAINS:
            lines += [cli.DOMAINS[group], ""]
        lines += _verb_sections(f"sciml {group}", group_parser, 3)
    return "\n".join(lines) + "\n"


# -------------------------------------------------------------------------------------------- API reference


def iter_modules(package_dir: Path, prefix: str) -> list[tuple[str, bool]]:
    """Every module under `package_dir` as (dotted name, is_package), depth first, without importing."""
    found: list[tuple[str, bool]] = []
    for info in sorted(pkgutil.iter_modules([str(package_dir)]), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        name = f"{prefix}.{info.name}"
        found.append((name, info.ispkg))
        if info.ispkg:
            found += iter_modules(package_dir / info.name, name)
    return found


def api_pages(package_dir: Path | None = None, package: str = "sciml") -> dict[str, str]:
    """One page per module of `package` (`::: module`), plus the literate-nav SUMMARY.md."""
    package_dir = package_dir or ROOT / package
    pages = {"index.md": f"# `{package}`\n\n::: {package}\n"}
    summary = [f"* [{package}](index.md)"]
    for name, is_package in iter_modules(package_dir, package):
        parts = name.split(".")[1:]
        path = "/".join(parts) + ("/index.md" if is_package else ".md")
        pages[path] = f"# `{name}`\n\n::: {name}\n"
        summary.append("    " * (len(parts) - 1) + f"* [{parts[-1]}]({path})")
    pages["SUMMARY.md"] = "\n".join(summary) + "\n"
    return pages


# ------------------------------------------------------------------------------------------------- results

# Per domain: (label, metric path, baseline label, baseline path). Rows whose metric is absent are left out.
HEADLINES: dict[str, list[tuple[str, str, str | None, str | None]]] = {
    "enhancers": [
        ("IRF1 ChIP-seq test AUROC", "irf1.test_auroc", None, None),
        ("synthetic motifs: mean AUROC", "synthetic.auroc_mean", "Bayes ceiling", "synthetic.bayes_auroc_mean"),
        ("synthetic motifs: PWM scan AUROC", "synthetic.oracle_auroc_mean", None, None),
        ("synthetic motifs recovered", "synthetic.motifs_recovered", "planted", "synthetic.motifs_planted"),
        ("iEnhancer-2L 5-fold CV accuracy", "ienhancer.cv_accuracy", "gapped k-mer SVM", "ienhancer.gkm_cv_accuracy"),
        ("iEnhancer-2L 5-fold CV MCC", "ienhancer.cv_mcc", "gapped k-mer SVM", "ienhancer.gkm_cv_mcc"),
        ("grammar: recovered spacing (bp)", "grammar.spacing_bp_recovered", "planted", "grammar.spacing_bp_true"),
    ],
    "hic": [
        *[row for label, key in (
            ("yeast 1/160 vs the rest of its reads (SCC h = 1, 500 kb)",
             "real_yeast_1_160.complement_raw_scc_h1_500kb"),
            ("HCT-116 100 kb r4 1/16 vs library r5 (SCC h = 1, 5 Mb)",
             "real_hct116_r4_1_16.replicate_r5_raw_scc_h1_5000kb"),
            ("HCT-116 library r4, not thinned, vs library r5",
             "real_hct116_r4_library.replicate_r5_raw_scc_h1_5000kb"),
            ("GM12878 40 kb 1/16 vs the rest of its reads", "real_gm12878_1_16.complement_raw_scc_h1_5000kb"),
            ("IMR90 40 kb 1/16 vs the rest of its reads", "real_imr90_1_16.complement_raw_scc_h1_5000kb"),
        ) for row in ((f"{label}: default model", f"{key}_model", "raw input", f"{key}_raw"),
                      (f"{label}: default model", f"{key}_model", "ICE + Gaussian", f"{key}_ice_gauss"))],
        ("yeast 1/16, published protocol (40 x 40 tiles within 2 Mb vs the full map): SSIM, default model",
         "real_yeast_1_16.protocol_ssim_model", "ICE + Gaussian", "real_yeast_1_16.protocol_ssim_ice_gauss"),
        ("yeast 1/16, published protocol: PSNR (dB), default model", "real_yeast_1_16.protocol_psnr_model",
         "ICE + Gaussian", "real_yeast_1_16.protocol_psnr_ice_gauss"),
        ("yeast 1/16 depth: SCC, default model (trained on real maps)", "yeast.scc_model", "ICE + Gaussian",
         "yeast.scc_ice_gauss"),
        ("yeast: SCC in raw space, default model", "yeast.scc_rawspace_model", "raw thinned map", "yeast.scc_raw"),
        ("simulated test: HiCRep SCC, simulation-trained U-Net", "sim.scc_model_sim", "ICE + Gaussian",
         "sim.scc_ice_gauss"),
        ("simulated test: HiCRep SCC, default model", "sim.scc_model", "ICE + Gaussian", "sim.scc_ice_gauss"),
        ("simulated test: HiCRep SCC, HiCPlus", "sim.scc_hicplus", "ICE", "sim.scc_ice"),
        ("simulated test: TAD-boundary F1, simulation-trained U-Net", "sim.tad_f1_model_sim", "ICE + Gaussian",
         "sim.tad_f1_ice_gauss"),
        ("simulated test: TAD-boundary F1, truth map", "sim.tad_f1_truth", None, None),
    ],
    "ecg": [
        ("inter-patient accuracy", "test.accuracy", None, None),
        ("inter-patient macro-F1", "test.macro_f1", None, None),
        ("S sensitivity", "test.S_se", "patient-adaptive", "adaptive.S_se"),
        ("V sensitivity", "test.V_se", "patient-adaptive", "adaptive.V_se"),
        ("expected calibration error", "test.ece_after", None, None),
        ("R-peak detector sensitivity", "rpeak.se", "XQRS", "rpeak.xqrs_se"),
        ("R-peak detector PPV", "rpeak.ppv", "XQRS", "rpeak.xqrs_ppv"),
        ("int8 student macro-F1", "student_int8.macro_f1", "teacher", "teacher.macro_f1"),
    ],
    "crystals": [
        ("metals energy MAE (meV/atom), invariant", "metals.invariant.energy_mae_mev_per_atom", "equivariant",
         "metals.equivariant.energy_mae_mev_per_atom"),
        ("metals force MAE (meV/Å), invariant", "metals.invariant.force_mae_mev_per_A", "equivariant",
         "metals.equivariant.force_mae_mev_per_A"),
        ("silicon energy MAE (meV/atom), invariant", "silicon.invariant.energy_mae_mev_per_atom", "equivariant",
         "silicon.equivariant.energy_mae_mev_per_atom"),
        ("silicon force MAE (meV/Å), invariant", "silicon.invariant.force_mae_mev_per_A", "equivariant",
         "silicon.equivariant.force_mae_mev_per_A"),
        ("worst rotation error (relative)", "equivariance_error", None, None),
        ("DFT Si (Zuo 2020), validation energy MAE (meV/atom)", "zuo2020.Si.validation.energy_mae_mev_per_atom",
         "GAP, official test split", "zuo2020.Si.published_test_mae.GAP.energy"),
        ("DFT Si (Zuo 2020), validation force MAE (meV/Å)", "zuo2020.Si.validation.force_mae_mev_per_A",
         "GAP, official test split", "zuo2020.Si.published_test_mae.GAP.force"),
        ("DFT Mo (Zuo 2020), validation energy MAE (meV/atom)", "zuo2020.Mo.validation.energy_mae_mev_per_atom",
         "GAP, official test split", "zuo2020.Mo.published_test_mae.GAP.energy"),
        ("DFT Mo (Zuo 2020), validation force MAE (meV/Å)", "zuo2020.Mo.validation.force_mae_mev_per_A",
         "GAP, official test split", "zuo2020.Mo.published_test_mae.GAP.force"),
        ("DFT Si committee: Spearman of force spread vs error (per atom)",
         "zuo2020.Si.committee_validation.force_spearman", None, None),
    ],
    "pinn": [
        ("heat, relative L2 error", "heat.rel_l2", None, None),
        ("Poisson 2-D, relative L2 error", "poisson.rel_l2", None, None),
        ("Burgers, relative L2 error", "burgers.rel_l2", None, None),
        ("Allen-Cahn, relative L2 error", "allen_cahn.rel_l2", None, None),
        ("reaction rho = 5 (Rathore et al. 2024), relative L2 error", "reaction.rel_l2", None, None),
    ],
}


def lookup(document: Any, dotted: str) -> Any:
    """The value at a dotted path of a nested mapping, or None."""
    for part in dotted.split("."):
        if not isinstance(document, Mapping) or part not in document:
            return None
        document = document[part]
    return document


def fmt(value: Any) -> str:
    """A metric value for a table: 4 significant digits, scientific for very small or large numbers."""
    if isinstance(value, bool) or value is None:
        return str(value).lower() if isinstance(value, bool) else "-"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
            return f"{value:.3g}"
        return f"{value:.4g}"
    return _cell(value)


def flatten(document: Any, prefix: str = "") -> dict[str, Any]:
    """Scalar leaves of a nested mapping by dotted path (lists and the provenance block left out)."""
    out: dict[str, Any] = {}
    if isinstance(document, Mapping):
        for key, value in document.items():
            if not prefix and key in ("provenance", "snapshot"):
                continue
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif not isinstance(document, list):
        out[prefix] = document
    return out


# Summaries a domain's workflow writes besides `results/<domain>/metrics.json`: merged into the domain's
# document under their key (the Results page and the snapshot hold them as one document).
PARTS: dict[str, dict[str, str]] = {"crystals": {"zuo2020": "zuo2020/metrics.json"}}


def find_metrics(domain: str, root: Path = ROOT) -> tuple[Path | None, str]:
    """The metrics document of a domain: the run's `results/<domain>/metrics.json`, else the snapshot."""
    run = root / "results" / domain / "metrics.json"
    if run.is_file():
        return run, "results"
    snapshot = root / "docs" / "results" / f"{domain}.json"
    if snapshot.is_file():
        return snapshot, "snapshot"
    return None, ""


def load_metrics(domain: str, path: Path, kind: str) -> dict[str, Any]:
    """The domain's document at `path`; for a run's results, with its `PARTS` merged in under their keys."""
    document = json.loads(path.read_text())
    if kind == "results":
        for key, relative in PARTS.get(domain, {}).items():
            part = path.parent / relative
            if part.is_file():
                document[key] = json.loads(part.read_text())
    return document


def _date(document: Mapping[str, Any], path: Path) -> str:
    snapshot = document.get("snapshot")
    if isinstance(snapshot, Mapping) and snapshot.get("date"):
        return str(snapshot["date"])
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).strftime("%Y-%m-%d")


def domain_results(domain: str, document: Mapping[str, Any], path: Path, kind: str) -> list[str]:
    """The Results section of one domain: headline table, provenance, then every metric folded."""
    lines = []
    rows = []
    for label, key, base_label, base_key in HEADLINES.get(domain, []):
        value = lookup(document, key)
        if value is None or isinstance(value, Mapping | list):
            continue
        base = lookup(document, base_key) if base_key else None
        rows.append(f"| {label} | **{fmt(value)}** | {base_label or ''} | "
                    f"{fmt(base) if base_key and base is not None else ''} |")
    if rows:
        lines += ["| metric | sciml | baseline | baseline value |", "|---|---|---|---|", *rows, ""]
    prov = document.get("provenance", {}) if isinstance(document.get("provenance"), Mapping) else {}
    git = prov.get("git") if isinstance(prov.get("git"), Mapping) else {}
    commit = git.get("commit")
    where = "this checkout's last run" if kind == "results" else "committed snapshot"
    facts = [f"source: `{path.relative_to(path.parents[2]) if len(path.parents) > 2 else path}` ({where})",
             f"date: {_date(document, path)}",
             f"git commit: `{commit[:12]}`" + (" (uncommitted changes)" if git.get("dirty") else "")
             if commit else "git commit: not recorded",
             f"sciml {prov.get('sciml_version', '?')}, seed {prov.get('seed', '?')}, "
             f"config sha256 `{str(prov.get('config_sha256', '?'))[:12]}`"]
    lines += ["Provenance: " + "; ".join(facts) + ".", ""]
    flat = flatten(document)
    if flat:
        lines += ['??? note "All metrics"', "", "    | key | value |", "    |---|---|"]
        lines += [f"    | `{_cell(k)}` | {fmt(v)} |" for k, v in flat.items()]
        lines.append("")
    return lines


def results_page(root: Path = ROOT, domains: Iterable[str] | None = None) -> str:
    """The Results page, from `results/*/metrics.json` where a run left them, else the snapshots."""
    domains = _domains() if domains is None else tuple(domains)
    lines = ["# Results", "",
             "The numbers below come from the last `make run` (default config, seed 0, CPU): this "
             "checkout's `results/<domain>/metrics.json` when it has them, otherwise the snapshots "
             "committed in `docs/results/` (`make docs-snapshot` copies a run's metrics there). Each "
             "domain shows its headline metrics beside their baselines, then every metric the run "
             "wrote. How each number is measured is explained in the domain's user guide.", ""]
    for domain in domains:
        lines += [f"## {_title(domain)}", ""]
        path, kind = find_metrics(domain, root)
        if path is None:
            lines += ["No metrics yet: run `make run` (or enable this domain in the config), then "
                      "rebuild the docs.", ""]
            continue
        lines += domain_results(domain, load_metrics(domain, path, kind), path, kind)
    return "\n".join(lines) + "\n"


def snapshot_results(root: Path = ROOT, domains: Iterable[str] | None = None) -> list[Path]:
    """Copy each `results/<domain>/metrics.json` (with its `PARTS`) to `docs/results/<domain>.json` with its date.

    The date (the metrics file's modification day, UTC) is stored under `snapshot.date`, since a
    git checkout does not keep file times.
    """
    domains = _domains() if domains is None else tuple(domains)
    written = []
    for domain in domains:
        source = root / "results" / domain / "metrics.json"
        if not source.is_file():
            continue
        document = load_metrics(domain, source, "results")
        day = dt.datetime.fromtimestamp(source.stat().st_mtime, tz=dt.UTC).strftime("%Y-%m-%d")
        document["snapshot"] = {"date": day, "source": f"results/{domain}/metrics.json"}
        target = root / "docs" / "results" / f"{domain}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
        written.append(target)
    return written


# ----------------------------------------------------------------------------------------------------- data


def data_page(registry: Mapping[str, Any] | None = None) -> str:
    """Data sets and licences, from `sciml.data.REGISTRY`."""
    if registry is None:
        from sciml.data import REGISTRY as registry
    lines = ["# Data and licences", "",
             "The real data sets sciml uses, generated from the registry (`sciml.data.REGISTRY`). "
             "`sciml data fetch NAME` copies the files from `$SCIML_DATA_MIRROR/NAME/` when that "
             "variable names a mirror folder, and downloads them from upstream otherwise; every file is "
             "checked against its sha256 before it appears in `data/raw/NAME/`. `sciml data manifest` "
             "lists every file with its hash. Cite the sources below when you publish results "
             "computed from them.", "",
             "| name | description | files | upstream | licence |", "|---|---|---|---|---|"]
    for ds in registry.values():
        count = f"{len(ds.files)}"
        extra = len(ds.all_files()) - len(ds.files)
        if extra:
            count += f" (+{extra} by download)"
        lines.append(f"| `{ds.name}` | {_cell(ds.description)} | {count} | [{_cell(ds.homepage)}]({ds.homepage}) "
                     f"| {_cell(ds.licence)} |")
    lines += ["", "## Citations", ""]
    lines += [f"- **`{ds.name}`**: {ds.citation}" for ds in registry.values()]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------- build


def all_pages(root: Path = ROOT) -> dict[str, str]:
    """Every generated page by its path under `docs/`."""
    pages = {f"examples/{k}": v for k, v in examples_pages(root).items()}
    pages.update({f"reference/api/{k}": v for k, v in api_pages(root / "sciml").items()})
    pages["reference/config.md"] = config_reference(default_config=root / "workflows" / "config" / "default.yaml")
    pages["reference/cli.md"] = cli_reference()
    pages["results.md"] = results_page(root)
    pages["data.md"] = data_page()
    pages["changelog.md"] = (root / "CHANGELOG.md").read_text()
    return pages


def main() -> None:
    """Write the pages into the mkdocs-gen-files virtual file system."""
    import mkdocs_gen_files

    for path, text in all_pages().items():
        with mkdocs_gen_files.open(path, "w") as handle:
            handle.write(text)


if __name__ == "<run_path>":  # mkdocs-gen-files runs this file with runpy.run_path
    main()
elif __name__ == "__main__":  # `python scripts/docs_pages.py snapshot` (make docs-snapshot)
    import sys

    if sys.argv[1:] != ["snapshot"]:
        sys.exit("usage: python scripts/docs_pages.py snapshot")
    copied = snapshot_results()
    print("\n".join(str(p.relative_to(ROOT)) for p in copied) or "no results/*/metrics.json to copy")
