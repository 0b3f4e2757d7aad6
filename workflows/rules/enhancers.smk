# enhancers: motif CNNs on the Koo ChIP-seq tasks (FOXK2, GABPA, LEF1; TF-MoDISco motifs vs JASPAR),
# synthetic planted-motif / grammar sets, iEnhancer-2L and IRF1 ChIP-seq; filter PWMs matched to JASPAR,
# attribution, spacing probes; lentiMPRA k-fold CV (`mpra.enabled`, full.yaml); metrics.json + report.html.
# Switched by config["enhancers"]["enabled"]. Settings: sciml.enhancers.settings (defaults live there).
from sciml.enhancers.settings import WORKFLOW_SETTINGS as ENHANCERS_WORKFLOW
from sciml.settings import from_dict, to_dict

ENH_SETTINGS = from_dict(ENHANCERS_WORKFLOW, config["enhancers"], prefix="enhancers")  # unknown keys fail before any job

if config["enhancers"]["enabled"]:
    ENH = config["enhancers"]
    ENH_OUT = RESULTS + "/enhancers"

    def enhancers_settings(job):
        """The settings mapping of one job: its config section, the shared JASPAR release, the seed."""
        mapping = {**ENH.get(job, {}), "seed": SEED}
        if job != "ienhancer":
            mapping["jaspar_release"] = ENH.get("jaspar_release", "JASPAR2024")
        return mapping

    CHIPSEQ = to_dict(ENH_SETTINGS.chipseq)
    MPRA = to_dict(ENH_SETTINGS.mpra)
    MPRA_ON = MPRA.pop("enabled")
    CHIPSEQ_TASKS = CHIPSEQ["tasks"]

    def chipseq_settings(tf):
        """The settings mapping of one ChIP-seq task: the shared section, the task, its family, the seed."""
        shared = {k: v for k, v in CHIPSEQ.items() if k not in ("tasks", "families")}
        return {**shared, "tf": tf, "expected_family": CHIPSEQ["families"].get(tf), "seed": SEED,
                "jaspar_release": ENH.get("jaspar_release", "JASPAR2024")}

    rule enhancers_chipseq:
        input:
            data=dataset_dir("koo-chipseq-200"),
            settings=lambda wc: settings_file(f"enhancers/chipseq_{wc.tf}", chipseq_settings(wc.tf)),
        output:
            directory(ENH_OUT + "/chipseq/{tf}"),
        log:
            "logs/enhancers/chipseq_{tf}.log",
        benchmark:
            "logs/enhancers/chipseq_{tf}.benchmark.tsv"
        params:
            checkpoints=lambda wc: training_checkpoints("enhancers", f"chipseq_{wc.tf}", chipseq_settings(wc.tf)),
        wildcard_constraints:
            tf="[A-Za-z0-9_]+",
        threads: ENH.get("threads", 1)
        priority: 20  # the real-data headline: start first
        resources:
            mem_mb=3000,
            runtime=60,
            gpu=ENH.get("gpu", 0),
        shell:
            "sciml enhancers chipseq --config {input.settings} --data {input.data} --out {output}"
            " --checkpoints {params.checkpoints} --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule enhancers_synthetic:
        input:
            settings=settings_file("enhancers/synthetic", enhancers_settings("synthetic")),
        output:
            directory(ENH_OUT + "/synthetic"),
        log:
            "logs/enhancers/synthetic.log",
        benchmark:
            "logs/enhancers/synthetic.benchmark.tsv"
        params:
            checkpoints=training_checkpoints("enhancers", "synthetic", enhancers_settings("synthetic")),
        threads: ENH.get("threads", 1)
        priority: 10  # the longest job: start it first so the others run beside it
        resources:
            mem_mb=3000,
            runtime=60,
            gpu=ENH.get("gpu", 0),
        shell:
            "sciml enhancers synthetic --config {input.settings} --out {output} --checkpoints {params.checkpoints}"
            " --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule enhancers_grammar:
        input:
            settings=settings_file("enhancers/grammar", enhancers_settings("grammar")),
        output:
            directory(ENH_OUT + "/grammar"),
        log:
            "logs/enhancers/grammar.log",
        benchmark:
            "logs/enhancers/grammar.benchmark.tsv"
        params:
            checkpoints=training_checkpoints("enhancers", "grammar", enhancers_settings("grammar")),
        threads: ENH.get("threads", 1)
        resources:
            mem_mb=3000,
            runtime=60,
            gpu=ENH.get("gpu", 0),
        shell:
            "sciml enhancers grammar --config {input.settings} --out {output} --checkpoints {params.checkpoints}"
            " --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule enhancers_ienhancer:
        input:
            data=dataset_dir("iEnhancer-2L"),
            settings=settings_file("enhancers/ienhancer", enhancers_settings("ienhancer")),
        output:
            directory(ENH_OUT + "/ienhancer"),
        log:
            "logs/enhancers/ienhancer.log",
        benchmark:
            "logs/enhancers/ienhancer.benchmark.tsv"
        params:
            checkpoints=training_checkpoints("enhancers", "ienhancer", enhancers_settings("ienhancer")),
        threads: ENH.get("threads", 1)
        resources:
            mem_mb=2000,
            runtime=60,
            gpu=ENH.get("gpu", 0),
        shell:
            "sciml enhancers ienhancer --config {input.settings} --data {input.data} --out {output}"
            " --checkpoints {params.checkpoints} --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule enhancers_irf1:
        input:
            data=dataset_dir("koo-irf1-chipseq"),
            settings=settings_file("enhancers/irf1", enhancers_settings("irf1")),
        output:
            directory(ENH_OUT + "/irf1"),
        log:
            "logs/enhancers/irf1.log",
        benchmark:
            "logs/enhancers/irf1.benchmark.tsv"
        params:
            checkpoints=training_checkpoints("enhancers", "irf1", enhancers_settings("irf1")),
        threads: ENH.get("threads", 1)
        resources:
            mem_mb=3000,
            runtime=60,
            gpu=ENH.get("gpu", 0),
        shell:
            "sciml enhancers irf1 --config {input.settings} --data {input.data} --out {output}"
            " --checkpoints {params.checkpoints} --device {DEVICE} --threads {threads} > {log} 2>&1"

    if MPRA_ON:
        rule enhancers_mpra:
            input:
                data=dataset_dir("lentimpra-wtc11"),
                settings=settings_file("enhancers/mpra", {**MPRA, "seed": SEED}),
            output:
                directory(ENH_OUT + "/mpra"),
            log:
                "logs/enhancers/mpra.log",
            benchmark:
                "logs/enhancers/mpra.benchmark.tsv"
            threads: ENH.get("threads", 1)
            resources:
                mem_mb=3000,
                runtime=60,
                gpu=ENH.get("gpu", 0),
            shell:
                "sciml enhancers mpra --config {input.settings} --data {input.data} --out {output}"
                " --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule enhancers_chipseq_logos:
        input:
            ENH_OUT + "/chipseq/{tf}",
        output:
            report(ENH_OUT + "/figures/chipseq_{tf}_pattern_logos.png",
                   caption="../report/enhancers_chipseq_logos.rst", category="enhancers"),
        log:
            "logs/enhancers/chipseq_{tf}_logos.log",
        threads: 1
        resources:
            mem_mb=200,
            runtime=5,
        shell:
            "cp {input}/pattern_logos.png {output} > {log} 2>&1"

    rule enhancers_chipseq_spacing:
        input:
            ENH_OUT + "/chipseq/{tf}",
        output:
            report(ENH_OUT + "/figures/chipseq_{tf}_spacing.png",
                   caption="../report/enhancers_chipseq_spacing.rst", category="enhancers"),
        log:
            "logs/enhancers/chipseq_{tf}_spacing.log",
        threads: 1
        resources:
            mem_mb=200,
            runtime=5,
        shell:
            "cp {input}/spacing.png {output} > {log} 2>&1"

    rule enhancers_figures:
        input:
            synthetic=ENH_OUT + "/synthetic",
            grammar=ENH_OUT + "/grammar",
            irf1=ENH_OUT + "/irf1",
        output:
            synthetic_logos=report(ENH_OUT + "/figures/synthetic_filter_logos.png",
                                   caption="../report/enhancers_synthetic_logos.rst", category="enhancers"),
            attribution=report(ENH_OUT + "/figures/synthetic_attribution.png",
                               caption="../report/enhancers_attribution.rst", category="enhancers"),
            irf1_logos=report(ENH_OUT + "/figures/irf1_filter_logos.png",
                              caption="../report/enhancers_irf1_logos.rst", category="enhancers"),
            spacing=report(ENH_OUT + "/figures/grammar_spacing.png",
                           caption="../report/enhancers_grammar.rst", category="enhancers"),
        log:
            "logs/enhancers/figures.log",
        threads: 1
        resources:
            mem_mb=200,
            runtime=5,
        shell:
            "(cp {input.synthetic}/filter_logos.png {output.synthetic_logos}"
            " && cp {input.synthetic}/attribution.png {output.attribution}"
            " && cp {input.irf1}/filter_logos.png {output.irf1_logos}"
            " && cp {input.grammar}/spacing.png {output.spacing}) > {log} 2>&1"

    rule enhancers_report:
        input:
            synthetic=ENH_OUT + "/synthetic",
            grammar=ENH_OUT + "/grammar",
            ienhancer=ENH_OUT + "/ienhancer",
            irf1=ENH_OUT + "/irf1",
            chipseq=expand(ENH_OUT + "/chipseq/{tf}", tf=CHIPSEQ_TASKS),
            mpra=[ENH_OUT + "/mpra"] if MPRA_ON else [],
            settings=settings_file("enhancers/report", {"seed": SEED}),
        output:
            metrics=ENH_OUT + "/metrics.json",
            html=report(ENH_OUT + "/report.html", caption="../report/enhancers_report.rst",
                        category="enhancers"),
        params:
            chipseq=" ".join(f"--part chipseq_{tf}={ENH_OUT}/chipseq/{tf}" for tf in CHIPSEQ_TASKS),
            mpra=f"--part mpra={ENH_OUT}/mpra" if MPRA_ON else "",
        log:
            "logs/enhancers/report.log",
        threads: 1
        resources:
            mem_mb=1000,
            runtime=10,
        shell:
            "sciml enhancers report --config {input.settings}"
            " {params.chipseq} {params.mpra} --part synthetic={input.synthetic}"
            " --part grammar={input.grammar} --part ienhancer={input.ienhancer} --part irf1={input.irf1}"
            " --metrics {output.metrics} --html {output.html} > {log} 2>&1"

    TARGETS.append(ENH_OUT + "/metrics.json")
    TARGETS.append(ENH_OUT + "/report.html")
    TARGETS.append(ENH_OUT + "/figures/grammar_spacing.png")
    TARGETS.append(ENH_OUT + "/figures/synthetic_filter_logos.png")
    TARGETS.append(ENH_OUT + "/figures/synthetic_attribution.png")
    TARGETS.append(ENH_OUT + "/figures/irf1_filter_logos.png")
    TARGETS.extend(expand(ENH_OUT + "/figures/chipseq_{tf}_pattern_logos.png", tf=CHIPSEQ_TASKS))
    if CHIPSEQ["spacing"] is not None:
        TARGETS.extend(expand(ENH_OUT + "/figures/chipseq_{tf}_spacing.png", tf=CHIPSEQ_TASKS))
