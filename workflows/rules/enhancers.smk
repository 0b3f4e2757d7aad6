# enhancers: motif CNNs on synthetic planted-motif / grammar sets, iEnhancer-2L and IRF1 ChIP-seq;
# filter PWMs matched to JASPAR, attribution, spacing probes; metrics.json + report.html.
# Switched by config["enhancers"]["enabled"]. All science lives in `sciml enhancers ...`.
import json

if config["enhancers"]["enabled"]:
    ENH = config["enhancers"]
    ENH_OUT = RESULTS + "/enhancers"

    def enhancers_settings(part):
        """The JSON settings of one analysis, with the shared JASPAR release."""
        return json.dumps({**ENH[part], "jaspar_release": ENH["jaspar_release"]}, sort_keys=True)

    rule enhancers_synthetic:
        output:
            directory(ENH_OUT + "/synthetic"),
        log:
            "logs/enhancers/synthetic.log",
        benchmark:
            "logs/enhancers/synthetic.benchmark.tsv"
        params:
            settings=enhancers_settings("synthetic"),
            checkpoints=training_checkpoints("enhancers", "synthetic", enhancers_settings("synthetic")),
        threads: ENH["threads"]
        priority: 10  # the longest job: start it first so the others run beside it
        resources:
            mem_mb=3000,
            runtime=60,
            gpu=ENH.get("gpu", 0),
        shell:
            "sciml enhancers synthetic --out {output} --settings '{params.settings}' --checkpoints {params.checkpoints}"
            " --seed {SEED} --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule enhancers_grammar:
        output:
            directory(ENH_OUT + "/grammar"),
        log:
            "logs/enhancers/grammar.log",
        benchmark:
            "logs/enhancers/grammar.benchmark.tsv"
        params:
            settings=enhancers_settings("grammar"),
            checkpoints=training_checkpoints("enhancers", "grammar", enhancers_settings("grammar")),
        threads: ENH["threads"]
        resources:
            mem_mb=3000,
            runtime=60,
            gpu=ENH.get("gpu", 0),
        shell:
            "sciml enhancers grammar --out {output} --settings '{params.settings}' --checkpoints {params.checkpoints}"
            " --seed {SEED} --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule enhancers_ienhancer:
        input:
            dataset_dir("iEnhancer-2L"),
        output:
            directory(ENH_OUT + "/ienhancer"),
        log:
            "logs/enhancers/ienhancer.log",
        benchmark:
            "logs/enhancers/ienhancer.benchmark.tsv"
        params:
            settings=enhancers_settings("ienhancer"),
            checkpoints=training_checkpoints("enhancers", "ienhancer", enhancers_settings("ienhancer")),
        threads: ENH["threads"]
        resources:
            mem_mb=2000,
            runtime=60,
            gpu=ENH.get("gpu", 0),
        shell:
            "sciml enhancers ienhancer --data {input} --out {output} --settings '{params.settings}' --checkpoints {params.checkpoints}"
            " --seed {SEED} --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule enhancers_irf1:
        input:
            dataset_dir("koo-irf1-chipseq"),
        output:
            directory(ENH_OUT + "/irf1"),
        log:
            "logs/enhancers/irf1.log",
        benchmark:
            "logs/enhancers/irf1.benchmark.tsv"
        params:
            settings=enhancers_settings("irf1"),
            checkpoints=training_checkpoints("enhancers", "irf1", enhancers_settings("irf1")),
        threads: ENH["threads"]
        resources:
            mem_mb=3000,
            runtime=60,
            gpu=ENH.get("gpu", 0),
        shell:
            "sciml enhancers irf1 --data {input} --out {output} --settings '{params.settings}' --checkpoints {params.checkpoints}"
            " --seed {SEED} --device {DEVICE} --threads {threads} > {log} 2>&1"

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
        output:
            metrics=ENH_OUT + "/metrics.json",
            html=report(ENH_OUT + "/report.html", caption="../report/enhancers_report.rst",
                        category="enhancers"),
        log:
            "logs/enhancers/report.log",
        threads: 1
        resources:
            mem_mb=1000,
            runtime=10,
        shell:
            "sciml enhancers report --part synthetic={input.synthetic} --part grammar={input.grammar}"
            " --part ienhancer={input.ienhancer} --part irf1={input.irf1}"
            " --metrics {output.metrics} --html {output.html} --seed {SEED} > {log} 2>&1"

    TARGETS.append(ENH_OUT + "/metrics.json")
    TARGETS.append(ENH_OUT + "/report.html")
    TARGETS.append(ENH_OUT + "/figures/grammar_spacing.png")
    TARGETS.append(ENH_OUT + "/figures/synthetic_filter_logos.png")
    TARGETS.append(ENH_OUT + "/figures/synthetic_attribution.png")
    TARGETS.append(ENH_OUT + "/figures/irf1_filter_logos.png")
