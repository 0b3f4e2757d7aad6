# crystals: EMT metals and Stillinger-Weber silicon -> periodic graphs -> invariant and equivariant
# potentials (energies + forces) -> held-out errors, physics checks, learning curves. Switched by
# config["crystals"]["enabled"]; the section is validated by sciml.crystals.settings.CrystalsWorkflow,
# whose train_job() applies the per-family overrides. All science lives in `sciml crystals ...`.

if config["crystals"]["enabled"]:
    from sciml.crystals.settings import WORKFLOW_SETTINGS as _CRY_SETTINGS
    from sciml.settings import from_dict as _from_dict, to_dict as _to_dict

    CRY = _from_dict(_CRY_SETTINGS, config["crystals"], prefix="crystals")
    CRY_OUT = RESULTS + "/crystals"
    CRY_EVALUATIONS = [
        f"{CRY_OUT}/evaluation/{family}_{model}_n{n}.json"
        for family in CRY.families
        for model in CRY.models
        for n in CRY.sizes(family)
    ]

    def crystals_model_dir(family, model, n):
        """The main model lives at results/crystals/<family>/<model>; learning-curve models under curve/."""
        if int(n) == CRY.n_train:
            return f"{CRY_OUT}/{family}/{model}"
        return f"{CRY_OUT}/curve/{family}/{model}/n{n}"

    def crystals_train_settings(wildcards):
        """The TrainSettings of one (family, model, size) job, as a mapping."""
        n = int(getattr(wildcards, "n", CRY.n_train))
        return _to_dict(CRY.train_job(wildcards.family, wildcards.model, n, SEED))

    def crystals_train_file(wildcards):
        n = int(getattr(wildcards, "n", CRY.n_train))
        return settings_file(f"crystals/train_{wildcards.family}_{wildcards.model}_n{n}",
                             crystals_train_settings(wildcards))

    wildcard_constraints:
        family="metals|silicon",
        element="Si|Ge|Li|Mo|Cu|Ni",
        model="invariant|equivariant",
        n=r"\d+",

    rule crystals_generate:
        input:
            settings=lambda wc: settings_file(f"crystals/generate_{wc.family}",
                                              _to_dict(CRY.generate_job(wc.family, SEED))),
        output:
            directory(CRY_OUT + "/data/{family}"),
        log:
            "logs/crystals/generate_{family}.log",
        threads: 1
        resources:
            mem_mb=2000,
            runtime=CRY.generate_runtime_minutes,
        shell:
            "sciml crystals generate --config {input.settings} --out {output} --threads {threads} > {log} 2>&1"

    rule crystals_train:
        input:
            data=CRY_OUT + "/data/{family}",
            settings=crystals_train_file,
        output:
            model=directory(CRY_OUT + "/{family}/{model}"),
        log:
            "logs/crystals/train_{family}_{model}_n" + str(CRY.n_train) + ".log",
        benchmark:
            "logs/crystals/train_{family}_{model}_n" + str(CRY.n_train) + ".benchmark.tsv"
        params:
            work=lambda wc: training_checkpoints(
                "crystals", f"{wc.family}_{wc.model}_n{CRY.n_train}", crystals_train_settings(wc)
            ),
        threads: 1
        resources:
            mem_mb=4000,
            runtime=CRY.train_runtime_minutes,
            gpu=CRY.gpu,
        shell:
            "sciml crystals train --config {input.settings} --train {input.data}/train.extxyz "
            "--val {input.data}/val.extxyz --out {output.model} --workdir {params.work} --resume "
            "--device {DEVICE} --threads {threads} > {log} 2>&1"

    rule crystals_train_curve:
        input:
            data=CRY_OUT + "/data/{family}",
            settings=crystals_train_file,
        output:
            model=directory(CRY_OUT + "/curve/{family}/{model}/n{n}"),
        log:
            "logs/crystals/train_{family}_{model}_curve_n{n}.log",
        benchmark:
            "logs/crystals/train_{family}_{model}_curve_n{n}.benchmark.tsv"
        params:
            work=lambda wc: training_checkpoints(
                "crystals", f"{wc.family}_{wc.model}_curve_n{wc.n}", crystals_train_settings(wc)
            ),
        threads: 1
        resources:
            mem_mb=4000,
            runtime=CRY.train_runtime_minutes,
            gpu=CRY.gpu,
        shell:
            "sciml crystals train --config {input.settings} --train {input.data}/train.extxyz "
            "--val {input.data}/val.extxyz --out {output.model} --workdir {params.work} --resume "
            "--device {DEVICE} --threads {threads} > {log} 2>&1"

    rule crystals_evaluate:
        input:
            model=lambda wc: crystals_model_dir(wc.family, wc.model, wc.n),
            data=CRY_OUT + "/data/{family}",
            settings=settings_file("crystals/evaluate", _to_dict(CRY.evaluate_job(SEED))),
        output:
            metrics=CRY_OUT + "/evaluation/{family}_{model}_n{n}.json",
            parity=report(
                CRY_OUT + "/evaluation/{family}_{model}_n{n}_parity.png",
                caption="../report/crystals_parity.rst",
                category="crystals",
            ),
        log:
            "logs/crystals/evaluate_{family}_{model}_n{n}.log",
        params:
            title=lambda wc: f"{wc.family} {wc.model} n={wc.n}",
        threads: 1
        resources:
            mem_mb=3000,
            runtime=30,
        shell:
            "sciml crystals evaluate --config {input.settings} --model {input.model} "
            "--structures {input.data}/test.extxyz --out {output.metrics} --parity {output.parity} "
            "--title {params.title:q} --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule crystals_report:
        input:
            evaluations=CRY_EVALUATIONS,
            settings=settings_file(
                "crystals/report", {"n_train": CRY.n_train, "seed": SEED, "workflow": _to_dict(CRY)}
            ),
        output:
            metrics=CRY_OUT + "/metrics.json",
            curve=report(
                CRY_OUT + "/learning_curve.tsv", caption="../report/crystals_learning_curve.rst", category="crystals"
            ),
            plot=report(
                CRY_OUT + "/learning_curve.png", caption="../report/crystals_learning_curve.rst", category="crystals"
            ),
        log:
            "logs/crystals/report.log",
        threads: 1
        resources:
            mem_mb=1000,
            runtime=10,
        shell:
            "sciml crystals report --config {input.settings} --evaluations {input.evaluations} "
            "--out {output.metrics} --curve-tsv {output.curve} --curve-png {output.plot} > {log} 2>&1"

    TARGETS.append(CRY_OUT + "/metrics.json")
    TARGETS.append(CRY_OUT + "/learning_curve.png")
    TARGETS.extend(
        expand(CRY_OUT + "/evaluation/{family}_{model}_n{n}_parity.png", family=CRY.families,
               model=CRY.models, n=CRY.n_train)
    )

    # DFT benchmark (Zuo 2020): per element a stratified validation split, one candidate per model,
    # the candidate with the best validation score as results/crystals/zuo2020/<element>/model, MD checks.
    BENCH = CRY.benchmark
    BENCH_OUT = CRY_OUT + "/zuo2020"

    def crystals_benchmark_train_settings(wildcards):
        return _to_dict(BENCH.train_job(wildcards.element, wildcards.model, SEED))

    rule crystals_benchmark_prepare:
        input:
            data=dataset_dir("zuo2020-mlip"),
            settings=lambda wc: settings_file(f"crystals/benchmark_prepare_{wc.element}",
                                              _to_dict(BENCH.prepare_job(wc.element, SEED))),
        output:
            directory(BENCH_OUT + "/{element}/data"),
        log:
            "logs/crystals/benchmark_prepare_{element}.log",
        threads: 1
        resources:
            mem_mb=2000,
            runtime=10,
        shell:
            "sciml crystals prepare --config {input.settings} --root {DATA_ROOT} --out {output} > {log} 2>&1"

    rule crystals_benchmark_train:
        input:
            data=BENCH_OUT + "/{element}/data",
            settings=lambda wc: settings_file(f"crystals/benchmark_train_{wc.element}_{wc.model}",
                                              crystals_benchmark_train_settings(wc)),
        output:
            model=directory(BENCH_OUT + "/{element}/candidates/{model}"),
        log:
            "logs/crystals/benchmark_train_{element}_{model}.log",
        benchmark:
            "logs/crystals/benchmark_train_{element}_{model}.benchmark.tsv"
        params:
            work=lambda wc: training_checkpoints(
                "crystals", f"benchmark_{wc.element}_{wc.model}", crystals_benchmark_train_settings(wc)
            ),
        threads: 1
        resources:
            mem_mb=4000,
            runtime=BENCH.train_runtime_minutes,
            gpu=CRY.gpu,
        shell:
            "sciml crystals train --config {input.settings} --train {input.data}/train.extxyz "
            "--val {input.data}/val.extxyz --out {output.model} --workdir {params.work} --resume "
            "--device {DEVICE} --threads {threads} > {log} 2>&1"

    rule crystals_benchmark_evaluate:
        input:
            model=BENCH_OUT + "/{element}/candidates/{model}",
            data=BENCH_OUT + "/{element}/data",
            settings=settings_file("crystals/evaluate", _to_dict(CRY.evaluate_job(SEED))),
        output:
            metrics=BENCH_OUT + "/{element}/candidates/{model}_val.json",
            parity=BENCH_OUT + "/{element}/candidates/{model}_val_parity.png",
        log:
            "logs/crystals/benchmark_evaluate_{element}_{model}.log",
        params:
            title=lambda wc: f"{wc.element} DFT {wc.model} (validation)",
        threads: 1
        resources:
            mem_mb=3000,
            runtime=30,
        shell:
            "sciml crystals evaluate --config {input.settings} --model {input.model} "
            "--structures {input.data}/val.extxyz --out {output.metrics} --parity {output.parity} "
            "--title {params.title:q} --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule crystals_benchmark_select:
        input:
            models=expand(BENCH_OUT + "/{{element}}/candidates/{model}", model=BENCH.models),
            evaluations=expand(BENCH_OUT + "/{{element}}/candidates/{model}_val.json", model=BENCH.models),
        output:
            model=directory(BENCH_OUT + "/{element}/model"),
            summary=BENCH_OUT + "/{element}/selection.json",
        log:
            "logs/crystals/benchmark_select_{element}.log",
        threads: 1
        resources:
            mem_mb=500,
            runtime=5,
        shell:
            "sciml crystals select --models {input.models} --evaluations {input.evaluations} "
            "--out {output.model} --summary {output.summary} --element {wildcards.element} > {log} 2>&1"

    rule crystals_benchmark_md:
        input:
            model=BENCH_OUT + "/{element}/model",
            data=BENCH_OUT + "/{element}/data",
            settings=settings_file("crystals/benchmark_md", _to_dict(BENCH.md)),
        output:
            BENCH_OUT + "/{element}/md.json",
        log:
            "logs/crystals/benchmark_md_{element}.log",
        benchmark:
            "logs/crystals/benchmark_md_{element}.benchmark.tsv"
        threads: 1
        resources:
            mem_mb=2000,
            runtime=BENCH.md_runtime_minutes,
        shell:
            "sciml crystals md-check --config {input.settings} --model {input.model} "
            "--structure {input.data}/md_start.extxyz --out {output} --device {DEVICE} --threads {threads} "
            "> {log} 2>&1"

    def crystals_committee_members(wildcards):
        """The committee of one element: the candidate of the workflow seed, then members 1 .. size-1."""
        first = f"{BENCH_OUT}/{wildcards.element}/candidates/{BENCH.committee_model}"
        return [first] + [f"{BENCH_OUT}/{wildcards.element}/committee/member{k}" for k in range(1, BENCH.committee_size)]

    def crystals_committee_member_settings(wildcards):
        return _to_dict(BENCH.train_job(wildcards.element, BENCH.committee_model, SEED + int(wildcards.k)))

    rule crystals_benchmark_committee_member:
        input:
            data=BENCH_OUT + "/{element}/data",
            settings=lambda wc: settings_file(f"crystals/benchmark_committee_{wc.element}_member{wc.k}",
                                              crystals_committee_member_settings(wc)),
        output:
            model=directory(BENCH_OUT + "/{element}/committee/member{k}"),
        log:
            "logs/crystals/benchmark_committee_{element}_member{k}.log",
        benchmark:
            "logs/crystals/benchmark_committee_{element}_member{k}.benchmark.tsv"
        params:
            work=lambda wc: training_checkpoints(
                "crystals", f"benchmark_{wc.element}_committee{wc.k}", crystals_committee_member_settings(wc)
            ),
        wildcard_constraints:
            k=r"\d+",
        threads: 1
        resources:
            mem_mb=4000,
            runtime=BENCH.train_runtime_minutes,
            gpu=CRY.gpu,
        shell:
            "sciml crystals train --config {input.settings} --train {input.data}/train.extxyz "
            "--val {input.data}/val.extxyz --out {output.model} --workdir {params.work} --resume "
            "--device {DEVICE} --threads {threads} > {log} 2>&1"

    rule crystals_benchmark_committee:
        input:
            members=crystals_committee_members,
            data=BENCH_OUT + "/{element}/data",
        output:
            model=directory(BENCH_OUT + "/{element}/committee/model"),
            summary=BENCH_OUT + "/{element}/committee.json",
            plot=BENCH_OUT + "/{element}/committee.png",
        log:
            "logs/crystals/benchmark_committee_{element}.log",
        threads: 1
        resources:
            mem_mb=3000,
            runtime=30,
        shell:
            "sciml crystals committee --members {input.members} --out {output.model} "
            "--structures {input.data}/val.extxyz --summary {output.summary} --plot {output.plot} --device {DEVICE} "
            "--threads {threads} > {log} 2>&1"

    if BENCH.elements:

        rule crystals_benchmark_report:
            input:
                selections=expand(BENCH_OUT + "/{element}/selection.json", element=BENCH.elements),
                md=expand(BENCH_OUT + "/{element}/md.json", element=BENCH.elements),
                committees=expand(BENCH_OUT + "/{element}/committee.json", element=BENCH.committee_elements),
                settings=settings_file("crystals/benchmark_report", _to_dict(BENCH)),
            output:
                BENCH_OUT + "/metrics.json",
            log:
                "logs/crystals/benchmark_report.log",
            threads: 1
            resources:
                mem_mb=500,
                runtime=5,
            shell:
                "sciml crystals benchmark-report --selections {input.selections} --md {input.md} "
                "--committees {input.committees} --config {input.settings} --seed {SEED} --out {output} > {log} 2>&1"

        TARGETS.append(BENCH_OUT + "/metrics.json")
