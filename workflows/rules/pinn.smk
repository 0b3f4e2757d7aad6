# pinn: physics-informed neural networks (Adam -> quasi-Newton) on Burgers, heat, Poisson, Allen-Cahn, PINNacle's
# Poisson 2d-CG and lid-driven cavity, and the inverse Burgers problem (lambda1, lambda2 from observations).
# Settings: config["pinn"] over the defaults of sciml.pinn.settings.PINNWorkflowSettings.

if config["pinn"]["enabled"]:
    from sciml.pinn.settings import DATASETS as PINN_DATASETS
    from sciml.pinn.settings import workflow_settings as pinn_workflow_settings
    from sciml.settings import to_dict

    PINN_SETTINGS = pinn_workflow_settings(config["pinn"])  # validated, over the default recipes
    PINN_FORWARD = list(PINN_SETTINGS.problems)
    PINN_INVERSE = ["burgers_inverse", "burgers_inverse_noisy"] if PINN_SETTINGS.inverse else []
    PINN_MODELS = PINN_FORWARD + PINN_INVERSE

    def pinn_changes(settings, defaults):
        """The entries of `settings` that differ from the verb's defaults (nested mappings compared key by key)."""
        out = {}
        for key, value in settings.items():
            if isinstance(value, dict):
                sub = pinn_changes(value, defaults[key])
                if sub:
                    out[key] = sub
            elif value != defaults[key]:
                out[key] = value
        return out

    def pinn_job_settings(name):
        """One model's settings (its recipe with the config's changes, the workflow seed) as changes from the
        defaults of `sciml pinn train|inverse`; runtime is a job resource, not a setting."""
        settings = getattr(PINN_SETTINGS, name)
        verb_defaults = type(settings)()
        changes = pinn_changes(to_dict(settings), to_dict(verb_defaults))
        changes.pop("runtime", None)
        changes.setdefault("train", {})["seed"] = SEED
        if name in PINN_FORWARD:
            changes["pde"] = name
        return changes

    def pinn_settings(name):
        """The settings file of `sciml pinn train|inverse --config` for one model."""
        return settings_file(f"pinn/{name}", pinn_job_settings(name))

    def pinn_runtime(name):
        return getattr(PINN_SETTINGS, name).runtime

    def pinn_data(name):
        """The fetched data set holding the model's reference (the inverse runs use pinn-reference)."""
        return dataset_dir(PINN_DATASETS.get(name, "pinn-reference"))

    rule pinn_train:
        input:
            data=lambda wc: pinn_data(wc.pinn_model),
            settings=lambda wc: pinn_settings(wc.pinn_model),
        output:
            directory(RESULTS + "/pinn/models/{pinn_model}"),
        log:
            "logs/pinn/train_{pinn_model}.log",
        benchmark:
            "logs/pinn/train_{pinn_model}.benchmark.tsv"
        wildcard_constraints:
            pinn_model="|".join(PINN_MODELS),
        params:
            verb=lambda wc: "inverse" if wc.pinn_model in PINN_INVERSE else "train",
            checkpoint=lambda wc: training_checkpoints("pinn", wc.pinn_model, pinn_job_settings(wc.pinn_model)),
        threads: PINN_SETTINGS.threads
        resources:
            mem_mb=2000,
            runtime=lambda wc: pinn_runtime(wc.pinn_model),
            gpu=PINN_SETTINGS.gpu,
        shell:
            "sciml pinn {params.verb} --config {input.settings} --data {input.data} --out {output} "
            "--checkpoint {params.checkpoint} --resume --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule pinn_figures:
        input:
            model=RESULTS + "/pinn/models/{pinn_model}",
            data=lambda wc: pinn_data(wc.pinn_model),
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
