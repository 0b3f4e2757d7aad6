# Shared settings and the data rules every domain builds on.
import hashlib
import json
from pathlib import Path

from sciml.files import write_text_atomic

DATA_ROOT = config["data"]["root"]
RESULTS = "results"
SEED = config["seed"]
DEVICE = config["device"]


def mirror_option():
    """`--mirror DIR` when the config names a mirror; else the CLI uses $SCIML_DATA_MIRROR or downloads."""
    mirror = config["data"].get("mirror")
    return f"--mirror {mirror}" if mirror else ""


def training_checkpoints(domain, job, *settings):
    """Where a training job keeps its per-epoch checkpoint, so that a rerun after preemption resumes.

    Outside the job's declared outputs (Snakemake deletes those when a job fails). The folder is
    keyed on the seed and on `settings`, the values the rule passes to its training command, so a
    changed setting never resumes a stale run while a change elsewhere in the domain's config does
    not retrain this model (Snakemake reruns a job whose params change). Without `settings` the
    key is the whole domain config. Changed training data are caught by `fit`'s run digest.
    """
    key = json.dumps([list(settings) if settings else config[domain], SEED], sort_keys=True)
    return f"{RESULTS}/checkpoints/{domain}/{job}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def settings_file(name, settings):
    """Write a verb's settings (a mapping taken from the config) to `results/settings/<name>.json`.

    Rules list the returned path as an input and pass it as `--config`; the file is rewritten
    only when its content changes, so an unchanged setting never reruns a job. The same file
    lets a user rerun the command by hand.
    """
    path = Path(RESULTS) / "settings" / f"{name}.json"
    text = json.dumps(settings, indent=2, sort_keys=True) + "\n"
    if not path.is_file() or path.read_text() != text:
        write_text_atomic(path, text)  # SLURM jobs re-read the Snakefile side by side
    return str(path)


def dataset_dir(name):
    """Folder of a fetched, verified data set: depend on this to get its files."""
    return f"{DATA_ROOT}/{name}"


rule fetch_data:
    output:
        directory(DATA_ROOT + "/{dataset}"),
    log:
        "logs/data/fetch_{dataset}.log",
    params:
        mirror=mirror_option(),
    threads: 1
    resources:
        mem_mb=500,
        runtime=30,
    shell:
        "sciml data fetch {wildcards.dataset} --root {DATA_ROOT} {params.mirror} > {log} 2>&1"


rule data_manifest:
    output:
        report(
            RESULTS + "/data/manifest.tsv",
            caption="../report/data_manifest.rst",
            category="Data",
        ),
    log:
        "logs/data/manifest.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    shell:
        "sciml data manifest --out {output} > {log} 2>&1"


TARGETS.append(RESULTS + "/data/manifest.tsv")
