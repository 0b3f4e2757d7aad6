# crystals: EMT metals and Stillinger-Weber silicon -> periodic graphs -> invariant and equivariant
# potentials (energies + forces) -> held-out errors, physics checks, learning curves. Switched by
# config["crystals"]["enabled"]. All science lives in `sciml crystals ...`.

if config["crystals"]["enabled"]:
    import json
    import shlex

    CRY = config["crystals"]
    CRY_OUT = RESULTS + "/crystals"
    CRY_SIZES = sorted(set(CRY["learning_curve"]) | {CRY["n_train"]})
    # learning-curve models only for these families (default: all); the others get the main model only
    CRY_CURVE_FAMILIES = CRY.get("curve_families", CRY["families"])
    CRY_EVALUATIONS = [
        f"{CRY_OUT}/evaluation/{family}_{model}_n{n}.json"
        for family in CRY["families"]
        for model in CRY["models"]
        for n in (CRY_SIZES if family in CRY_CURVE_FAMILIES else [CRY["n_train"]])
    ]

    def crystals_model_dir(family, model, n):
        """The main model lives at results/crystals/<family>/<model>; learning-curve models under curve/."""
        if int(n) == CRY["n_train"]:
            return f"{CRY_OUT}/{family}/{model}"
        return f"{CRY_OUT}/curve/{family}/{model}/n{n}"

    def crystals_train_options(wildcards):
        """CLI options of a training job: the model's settings, the family's cutoff and the learning rate,
        updated by the family's overrides; the optimiser-step budget is `steps` for the main model and `curve_steps`
        (default: `steps`) for the learning-curve models, the same for every curve size."""
        override = CRY.get("family_overrides", {}).get(wildcards.family, {}).get(wildcards.model, {})
        hyper = shlex.quote(json.dumps({**CRY[wildcards.model], **override.get("hyper", {})}, sort_keys=True))
        steps = override.get("steps", CRY["steps"][wildcards.model])
        if int(getattr(wildcards, "n", CRY["n_train"])) != CRY["n_train"]:
            steps = override.get("curve_steps", CRY.get("curve_steps", {}).get(wildcards.model, steps))
        return (
            f"--model {wildcards.model} --cutoff {override.get('cutoff', CRY['cutoff'][wildcards.family])} "
            f"--hyper {hyper} "
            f"--steps {steps} --batch-size {CRY['batch_size']} --lr {override.get('lr', CRY['lr'])} "
            + (f"--validate-steps {CRY['validate_steps']} " if "validate_steps" in CRY else "")
            + f"--energy-weight {CRY['energy_weight']} --force-weight {CRY['force_weight']} "
            f"--stress-weight {CRY['stress_weight']} --warmup-epochs {CRY['warmup_epochs']} "
            + (f"--stage-two-fraction {override['stage_two_fraction']} "
               f"--stage-two-energy-weight {override['stage_two_energy_weight']} " if "stage_two_fraction" in override else "")
            + f"--device {DEVICE}"
        )

    wildcard_constraints:
        family="metals|silicon",
        model="invariant|equivariant",
        n=r"\d+",

    rule crystals_generate:
        output:
            directory(CRY_OUT + "/data/{family}"),
        log:
            "logs/crystals/generate_{family}.log",
        params:
            sizes=f"--n-train {max(CRY_SIZES)} --n-val {CRY['n_val']} --n-test {CRY['n_test']}",
            max_atoms=CRY["max_atoms"],
        threads: 1
        resources:
            mem_mb=2000,
            runtime=CRY["generate_runtime_minutes"],
        shell:
            "sciml crystals generate --family {wildcards.family} {params.sizes} --max-atoms {params.max_atoms} "
            "--out {output} --seed {SEED} --threads {threads} > {log} 2>&1"

    rule crystals_train:
        input:
            CRY_OUT + "/data/{family}",
        output:
            model=directory(CRY_OUT + "/{family}/{model}"),
        log:
            "logs/crystals/train_{family}_{model}_n" + str(CRY["n_train"]) + ".log",
        benchmark:
            "logs/crystals/train_{family}_{model}_n" + str(CRY["n_train"]) + ".benchmark.tsv"
        params:
            options=crystals_train_options,
            n=CRY["n_train"],
            work=lambda wc: training_checkpoints(
                "crystals", f"{wc.family}_{wc.model}_n{CRY['n_train']}", crystals_train_options(wc), CRY["n_train"]
            ),
        threads: 1
        resources:
            mem_mb=4000,
            runtime=CRY["train_runtime_minutes"],
            gpu=CRY.get("gpu", 0),
        shell:
            "sciml crystals train {params.options} --train {input}/train.extxyz --val {input}/val.extxyz "
            "--n-train {params.n} --out {output.model} --workdir {params.work} --resume --seed {SEED} "
            "--threads {threads} > {log} 2>&1"

    rule crystals_train_curve:
        input:
            CRY_OUT + "/data/{family}",
        output:
            model=directory(CRY_OUT + "/curve/{family}/{model}/n{n}"),
        log:
            "logs/crystals/train_{family}_{model}_curve_n{n}.log",
        benchmark:
            "logs/crystals/train_{family}_{model}_curve_n{n}.benchmark.tsv"
        params:
            options=crystals_train_options,
            work=lambda wc: training_checkpoints(
                "crystals", f"{wc.family}_{wc.model}_curve_n{wc.n}", crystals_train_options(wc), wc.n
            ),
        threads: 1
        resources:
            mem_mb=4000,
            runtime=CRY["train_runtime_minutes"],
            gpu=CRY.get("gpu", 0),
        shell:
            "sciml crystals train {params.options} --train {input}/train.extxyz --val {input}/val.extxyz "
            "--n-train {wildcards.n} --out {output.model} --workdir {params.work} --resume --seed {SEED} "
            "--threads {threads} > {log} 2>&1"

    rule crystals_evaluate:
        input:
            model=lambda wc: crystals_model_dir(wc.family, wc.model, wc.n),
            data=CRY_OUT + "/data/{family}",
        output:
            metrics=CRY_OUT + "/evaluation/{family}_{model}_n{n}.json",
            parity=report(
                CRY_OUT + "/evaluation/{family}_{model}_n{n}_parity.png",
                caption="../report/crystals_parity.rst",
                category="crystals",
            ),
        log:
            "logs/crystals/evaluate_{family}_{model}_n{n}.log",
        threads: 1
        resources:
            mem_mb=3000,
            runtime=30,
        shell:
            "sciml crystals evaluate --model {input.model} --structures {input.data}/test.extxyz "
            "--out {output.metrics} --parity {output.parity} --title '{wildcards.family} {wildcards.model} "
            "n={wildcards.n}' --device {DEVICE} --seed {SEED} --threads {threads} > {log} 2>&1"

    rule crystals_report:
        input:
            CRY_EVALUATIONS,
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
        params:
            settings=shlex.quote(json.dumps(CRY, sort_keys=True)),
            n=CRY["n_train"],
        threads: 1
        resources:
            mem_mb=1000,
            runtime=10,
        shell:
            "sciml crystals report --evaluations {input} --n-train {params.n} --settings {params.settings} "
            "--out {output.metrics} --curve-tsv {output.curve} --curve-png {output.plot} --seed {SEED} "
            "--threads {threads} > {log} 2>&1"

    TARGETS.append(CRY_OUT + "/metrics.json")
    TARGETS.append(CRY_OUT + "/learning_curve.png")
    TARGETS.extend(
        expand(CRY_OUT + "/evaluation/{family}_{model}_n{n}_parity.png", family=CRY["families"],
               model=CRY["models"], n=CRY["n_train"])
    )
