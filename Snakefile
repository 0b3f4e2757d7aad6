# sciml workflow: data ingestion -> domain models -> evaluation -> interpretation reports.
# Configs: workflows/config/{default,smoke,full}.yaml, validated against workflows/schemas/ before any job.
from snakemake.utils import min_version, validate

min_version("8.20")


configfile: f"{workflow.basedir}/workflows/config/default.yaml"


validate(config, "workflows/schemas/config.schema.yaml")

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
