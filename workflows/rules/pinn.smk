# pinn: physics-informed neural networks (Adam -> L-BFGS) on Burgers, heat, Poisson, Allen-Cahn,
# and the inverse Burgers problem (lambda1, lambda2 from 2,000 observations, clean and noisy).
# Switched by config["pinn"]["enabled"]; every setting comes from config["pinn"] (workflows/schemas/pinn.schema.yaml).

if config["pinn"]["enabled"]:
    PINN = config["pinn"]
    PINN_FORWARD = list(PINN["train"])
    PINN_INVERSE = ["burgers_inverse", "burgers_inverse_noisy"] if PINN["inverse"]["enabled"] else []
    PINN_MODELS = PINN_FORWARD + PINN_INVERSE
    if set(PINN_FORWARD) - set(PINN["problems"]):
        raise ValueError(f"config pinn.train names problems without settings in pinn.problems: "
                         f"{sorted(set(PINN_FORWARD) - set(PINN['problems']))}")
    PINN_FLAGS = {
        "width": "--width",
        "depth": "--depth",
        "activation": "--activation",
        "fourier_features": "--fourier-features",
        "fourier_scale": "--fourier-scale",
        "periodic_harmonics": "--periodic-harmonics",
        "adaptive_slope": "--adaptive-slope",
        "n_collocation": "--n-collocation",
        "sampler": "--sampler",
        "adam_steps": "--adam-steps",
        "adam_lr": "--adam-lr",
        "adam_lr_final": "--adam-lr-final",
        "lbfgs_steps": "--lbfgs-steps",
        "lbfgs_history": "--lbfgs-history",
        "optimizer2": "--optimizer2",
        "rar_rounds": "--rar-rounds",
        "rar_points": "--rar-points",
        "rar_method": "--rar-method",
        "rar_power": "--rar-power",
        "rar_floor": "--rar-floor",
        "causal_slabs": "--causal-slabs",
        "causal_tol": "--causal-tol",
    }

    def pinn_settings(name):
        """Run settings of a model name (forward problem or inverse variant)."""
        return PINN["inverse"]["run"] if name in PINN_INVERSE else PINN["problems"][name]

    def pinn_options(name):
        """CLI options of `sciml pinn train|inverse` from the run settings."""
        run = pinn_settings(name)
        opts = [f"{flag} {run[key]}" for key, flag in PINN_FLAGS.items() if key in run]
        if "causal_eps" in run:
            opts.append("--causal-eps " + ",".join(str(e) for e in run["causal_eps"]))
        if run.get("adaptive_weights"):
            opts.append("--adaptive-weights")
        if run.get("rar_keep_history"):
            opts.append("--rar-keep-history")
        if name in PINN_FORWARD and not run.get("hard_constraints", True):
            opts.append("--soft")
        if name in PINN_FORWARD and "symmetry" in run:
            opts.append(f"--symmetry {run['symmetry']}")
        if name == "burgers_inverse_noisy":
            opts.append(f"--noise {PINN['inverse']['noise']}")
        if name in PINN_INVERSE:
            opts.append(f"--n-observations {PINN['inverse']['n_observations']}")
        return " ".join(opts + [f"--dtype {PINN['dtype']}"])

    rule pinn_train:
        input:
            data=dataset_dir("pinn-reference"),
        output:
            directory(RESULTS + "/pinn/models/{pinn_model}"),
        log:
            "logs/pinn/train_{pinn_model}.log",
        benchmark:
            "logs/pinn/train_{pinn_model}.benchmark.tsv"
        wildcard_constraints:
            pinn_model="|".join(PINN_MODELS),
        params:
            verb=lambda wc: "inverse" if wc.pinn_model in PINN_INVERSE else f"train --pde {wc.pinn_model}",
            options=lambda wc: pinn_options(wc.pinn_model),
        threads: PINN["threads"]
        resources:
            mem_mb=2000,
            runtime=lambda wc: pinn_settings(wc.pinn_model)["runtime"],
            gpu=PINN.get("gpu", 0),
        shell:
            "sciml pinn {params.verb} --data {input.data} --out {output} --resume {params.options} "
            "--seed {SEED} --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule pinn_figures:
        input:
            model=RESULTS + "/pinn/models/{pinn_model}",
            data=dataset_dir("pinn-reference"),
        output:
            solution=report(
                RESULTS + "/pinn/figures/{pinn_model}_solution.png",
                caption="../report/pinn_solution.rst",
                category="pinn",
            ),
            losses=report(
                RESULTS + "/pinn/figures/{pinn_model}_losses.png",
                caption="../report/pinn_losses.rst",
                category="pinn",
            ),
        log:
            "logs/pinn/figures_{pinn_model}.log",
        wildcard_constraints:
            pinn_model="|".join(PINN_MODELS),
        threads: 1
        resources:
            mem_mb=1000,
            runtime=5,
        shell:
            "sciml pinn figures --model {input.model} --data {input.data} "
            "--solution {output.solution} --losses {output.losses} > {log} 2>&1"

    rule pinn_metrics:
        input:
            expand(RESULTS + "/pinn/models/{pinn_model}", pinn_model=PINN_MODELS),
        output:
            RESULTS + "/pinn/metrics.json",
        log:
            "logs/pinn/metrics.log",
        threads: 1
        resources:
            mem_mb=500,
            runtime=5,
        shell:
            "sciml pinn metrics --models {input} --out {output} --seed {SEED} > {log} 2>&1"

    TARGETS.append(RESULTS + "/pinn/metrics.json")
    TARGETS.extend(
        expand(RESULTS + "/pinn/figures/{pinn_model}_{kind}.png", pinn_model=PINN_MODELS, kind=["solution", "losses"])
    )
