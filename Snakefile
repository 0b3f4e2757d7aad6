# sciml workflow: data ingestion -> domain models -> evaluation -> interpretation reports.
# Configs: workflows/config/default.yaml, with smoke.yaml or full.yaml as overlays (--configfile), validated before
# any job against workflows/schemas/config.schema.json (generated from the settings dataclasses) and the dataclasses.
from snakemake.utils import min_version, validate

from sciml.settings import validate_workflow_config

min_version("8.20")


configfile: f"{workflow.basedir}/workflows/config/default.yaml"


validate(config, "workflows/schemas/config.schema.json", set_default=False)
validate_workflow_config(config)

report: "workflows/report/workflow.rst"

# Each domain's rules file appends the final outputs of its pipeline when the domain is enabled.
TARGETS = []


rule all:
    input:
        lambda wildcards: TARGETS,
    localrule: True
    default_target: True


include: "workflows/rules/common.smk"
include: "workflows/rules/enhancers.smk"
include: "workflows/rules/hic.smk"
include: "workflows/rules/ecg.smk"
include: "workflows/rules/crystals.smk"
include: "workflows/rules/pinn.smk"
include: "workflows/rules/report.smk"
