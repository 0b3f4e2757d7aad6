# hic: simulated Hi-C with planted truth and real replicate maps -> denoisers (the default model trained
# on real pairs with independent targets and on simulations; the simulation-only U-Net, HiCPlus; with
# deephic_baseline the DeepHiC-style GAN on the default model's pairs) ->
# evaluation on simulated test chromosomes, on a thinned real yeast map and on held-out real maps against
# independent targets (`real_eval` cases). Switched by
# config["hic"]["enabled"].
# Every job's settings are a `sciml.hic.settings` dataclass, written by settings_file() and passed
# with --config; the defaults live in those dataclasses.
from sciml.hic.settings import WORKFLOW_SETTINGS
from sciml.settings import from_dict, to_dict

if config["hic"]["enabled"]:
    HIC = config["hic"]
    HIC_SETTINGS = from_dict(WORKFLOW_SETTINGS, HIC, prefix="hic")  # fails early, naming a bad key
    HIC_DIR = RESULTS + "/hic"
    HIC_DEPTHS = list(HIC_SETTINGS.depths)
    HIC_SPLITS = HIC_SETTINGS.splits
    HIC_CORRECTOR = HIC.get("bin_corrector", {})
    HIC_REAL_CASES = HIC_SETTINGS.real_eval
    HIC_FIGURES = [
        "sim_heatmaps.png",
        "sim_distance_pearson.png",
        "yeast_heatmaps.png",
        "yeast_distance_pearson.png",
    ] + (["real_scc.png"] if HIC_REAL_CASES else [])
    # the models every real map is scored with (beside raw, ICE and ICE + Gaussian)
    HIC_REAL_MODELS = {
        name: HIC_DIR + "/" + name
        for name in ("model", "model_sim", "hicplus") + (("deephic",) if HIC_SETTINGS.deephic_baseline else ())
    }

    def hic_real_case_settings(case):
        return to_dict(HIC_REAL_CASES[case].scoring) | {"seed": SEED}

    def hic_simulate_settings(wildcards):
        split = wildcards.split
        return HIC.get("simulate", {}) | {
            "split": split,
            "n_chroms": getattr(HIC_SPLITS, split),
            "n_bins": HIC_SPLITS.n_bins,
            "depths": HIC_DEPTHS,
            "seed": SEED,
        }

    def hic_train_settings(name):
        return HIC.get(name, {}) | {"depths": HIC_DEPTHS, "seed": SEED}

    def hic_corrector_settings(member):
        return HIC_CORRECTOR | {"member": member, "seed": SEED}

    HIC_FINETUNE = HIC.get("finetune", {}) | {"yeast": HIC.get("yeast", {}), "seed": SEED}
    HIC_REAL_MODEL = HIC.get("real_model", {}) | {"yeast": HIC.get("yeast", {}), "seed": SEED}
    HIC_REPLICATES = list(HIC_SETTINGS.real_replicates)
    # the GAN baseline trains on the default model's pairs and tiles: its pairs, split, patch geometry and seed
    HIC_DEEPHIC = HIC.get("deephic", {}) | {
        "denoiser": HIC.get("deephic", {}).get("denoiser", {})
        | {k: getattr(HIC_SETTINGS.real_model.denoiser, k) for k in ("patch_size", "stride", "band_bins")},
        "pairs": HIC.get("real_model", {}).get("pairs", {}),
        "yeast": HIC.get("yeast", {}),
        "seed": SEED,
    }

    rule hic_simulate:
        input:
            settings=lambda w: settings_file(f"hic/simulate_{w.split}", hic_simulate_settings(w)),
        output:
            directory(HIC_DIR + "/sim/{split}"),
        log:
            "logs/hic/simulate_{split}.log",
        wildcard_constraints:
            split="train|val|test|calib",
        threads: 1
        resources:
            mem_mb=4000,
            runtime=20,
        shell:
            "sciml hic simulate --config {input.settings} --out {output} --threads {threads} > {log} 2>&1"

    rule hic_prepare_yeast:
        input:
            cool=dataset_dir("hic-yeast-10kb"),
            settings=settings_file(
                "hic/prepare_yeast", {"yeast": {"depth": HIC_SETTINGS.yeast.depth}, "seed": SEED}
            ),
        output:
            directory(HIC_DIR + "/yeast"),
        log:
            "logs/hic/prepare_yeast.log",
        threads: 1
        resources:
            mem_mb=2000,
            runtime=10,
        shell:
            "sciml hic prepare-real --config {input.settings} --cool {input.cool}/yeast.10kb.cool --out {output}"
            " --threads {threads} > {log} 2>&1"

    rule hic_train:
        input:
            train=HIC_DIR + "/sim/train",
            val=HIC_DIR + "/sim/val",
            settings=lambda w: settings_file(f"hic/train_{w.name}", hic_train_settings(w.name)),
        output:
            model=directory(HIC_DIR + "/{name}"),
        log:
            "logs/hic/train_{name}.log",
        benchmark:
            "logs/hic/train_{name}.benchmark.tsv"
        params:
            work=lambda w: training_checkpoints("hic", w.name, hic_train_settings(w.name)),
        wildcard_constraints:
            name="unet|hicplus",
        threads: 1
        resources:
            mem_mb=6000,
            runtime=60,
            gpu=HIC_SETTINGS.gpu,
        shell:
            "sciml hic train --arch {wildcards.name} --config {input.settings} --train {input.train}"
            " --val {input.val} --out {output.model} --work {params.work} --resume --device {DEVICE}"
            " --threads {threads} > {log} 2>&1"

    # the default model: a gated correction of ICE + Gaussian trained on real pairs whose targets share no
    # reads with the input (yeast training chromosomes vs their complement; HCT-116 replicates vs their
    # complement and each other; the simulated training split too when pairs.sim_depths is set); the
    # epoch is chosen on real validation parts
    rule hic_train_real:
        input:
            sim=[HIC_DIR + "/sim/train"] if HIC_SETTINGS.real_model.pairs.sim_depths else [],
            yeast=dataset_dir("hic-yeast-10kb"),
            real=dataset_dir("hic-real"),
            settings=settings_file("hic/train_real", HIC_REAL_MODEL),
        output:
            model=directory(HIC_DIR + "/model"),
        log:
            "logs/hic/train_real.log",
        benchmark:
            "logs/hic/train_real.benchmark.tsv"
        params:
            work=training_checkpoints("hic", "model", HIC_REAL_MODEL, HIC_REPLICATES),
            replicates=lambda w, input: " ".join(f"{input.real}/{f}" for f in HIC_REPLICATES),
            sim=lambda w, input: f"--sim-train {input.sim}" if input.sim else "",
        threads: 1
        resources:
            mem_mb=4000,
            runtime=60,
            gpu=HIC_SETTINGS.gpu,
        shell:
            "sciml hic train-real --config {input.settings} --chrom-split {input.yeast}/yeast.10kb.cool"
            " --replicates {params.replicates} {params.sim} --out {output.model}"
            " --work {params.work} --resume --device {DEVICE} --threads {threads} > {log} 2>&1"

    # the DeepHiC-style GAN baseline (generator + discriminator, Hong et al. 2020) on the default model's
    # real pairs; only with hic.deephic_baseline (full.yaml)
    rule hic_train_deephic:
        input:
            sim=[HIC_DIR + "/sim/train"] if HIC_SETTINGS.real_model.pairs.sim_depths else [],
            yeast=dataset_dir("hic-yeast-10kb"),
            real=dataset_dir("hic-real"),
            settings=settings_file("hic/train_deephic", HIC_DEEPHIC),
        output:
            model=directory(HIC_DIR + "/deephic"),
        log:
            "logs/hic/train_deephic.log",
        benchmark:
            "logs/hic/train_deephic.benchmark.tsv"
        params:
            work=training_checkpoints("hic", "deephic", HIC_DEEPHIC, HIC_REPLICATES),
            replicates=lambda w, input: " ".join(f"{input.real}/{f}" for f in HIC_REPLICATES),
            sim=lambda w, input: f"--sim-train {input.sim}" if input.sim else "",
        threads: 1
        resources:
            mem_mb=4000,
            runtime=120,
            gpu=HIC_SETTINGS.gpu,
        shell:
            "sciml hic train-deephic --config {input.settings} --chrom-split {input.yeast}/yeast.10kb.cool"
            " --replicates {params.replicates} {params.sim} --out {output.model}"
            " --work {params.work} --resume --device {DEVICE} --threads {threads} > {log} 2>&1"

    # the per-bin corrector ensemble: its examples (the U-Net's outputs on the calib and val splits)
    # are made once; each ensemble member trains in its own job (side by side at --cores 2)
    rule hic_corrector_inputs:
        input:
            model=HIC_DIR + "/unet",
            calib=HIC_DIR + "/sim/calib",
            val=HIC_DIR + "/sim/val",
            settings=settings_file(
                "hic/corrector_inputs",
                {k: v for k, v in HIC_CORRECTOR.items() if k == "target_band_bins"} | {"depths": HIC_DEPTHS},
            ),
        output:
            directory(HIC_DIR + "/corrector_inputs"),
        log:
            "logs/hic/corrector_inputs.log",
        benchmark:
            "logs/hic/corrector_inputs.benchmark.tsv"
        threads: 1
        resources:
            mem_mb=4000,
            runtime=20,
            gpu=HIC_SETTINGS.gpu,
        shell:
            "sciml hic corrector-inputs --config {input.settings} --model {input.model} --train {input.calib}"
            " --val {input.val} --out {output} --threads {threads} > {log} 2>&1"

    rule hic_bin_corrector:
        input:
            model=HIC_DIR + "/unet",
            inputs=HIC_DIR + "/corrector_inputs",
            settings=lambda w: settings_file(
                f"hic/bin_corrector_seed{w.cseed}", hic_corrector_settings(int(w.cseed))
            ),
        output:
            directory(HIC_DIR + "/bin_corrector/seed{cseed}"),
        log:
            "logs/hic/bin_corrector_seed{cseed}.log",
        benchmark:
            "logs/hic/bin_corrector_seed{cseed}.benchmark.tsv"
        params:
            work=lambda w: training_checkpoints(
                "hic",
                f"bin_corrector_seed{w.cseed}",
                hic_corrector_settings(int(w.cseed)),
                hic_train_settings("unet"),
                HIC_DEPTHS,
                HIC_SPLITS.calib,
                HIC_SPLITS.n_bins,
            ),
        wildcard_constraints:
            cseed=r"\d+",
        threads: 1
        resources:
            mem_mb=3000,
            runtime=30,
            gpu=HIC_SETTINGS.gpu,
        shell:
            "sciml hic train-corrector --config {input.settings} --model {input.model} --inputs {input.inputs}"
            " --out {output} --work {params.work} --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule hic_attach_correctors:
        input:
            model=HIC_DIR + "/unet",
            correctors=expand(
                HIC_DIR + "/bin_corrector/seed{cseed}", cseed=HIC_SETTINGS.bin_corrector.seeds
            ),
        output:
            model=directory(HIC_DIR + "/model_sim"),
        log:
            "logs/hic/attach_correctors.log",
        threads: 1
        resources:
            mem_mb=1000,
            runtime=5,
        shell:
            "sciml hic attach-correctors --model {input.model} --correctors {input.correctors}"
            " --out {output.model} > {log} 2>&1"

    rule hic_finetune:
        input:
            model=HIC_DIR + "/unet",
            real=HIC_DIR + "/yeast",
            settings=settings_file("hic/finetune", HIC_FINETUNE),
        output:
            model=directory(HIC_DIR + "/model_finetuned"),
        log:
            "logs/hic/finetune.log",
        benchmark:
            "logs/hic/finetune.benchmark.tsv"
        params:
            work=training_checkpoints("hic", "model_finetuned", HIC_FINETUNE),
        threads: HIC_SETTINGS.threads
        resources:
            mem_mb=4000,
            runtime=30,
            gpu=HIC_SETTINGS.gpu,
        shell:
            "sciml hic finetune --config {input.settings} --model {input.model} --real {input.real}"
            " --out {output.model} --work {params.work} --resume --device {DEVICE} --threads {threads}"
            " > {log} 2>&1"

    # a held-out real map scored against targets that share no reads with the input (its complement,
    # other libraries of its condition), every model beside raw, ICE and ICE + Gaussian
    rule hic_evaluate_real:
        input:
            data=lambda w: dataset_dir(HIC_REAL_CASES[w.case].dataset),
            models=list(HIC_REAL_MODELS.values()),
            settings=lambda w: settings_file(f"hic/evaluate_real_{w.case}", hic_real_case_settings(w.case)),
        output:
            directory(HIC_DIR + "/real/{case}"),
        log:
            "logs/hic/evaluate_real_{case}.log",
        benchmark:
            "logs/hic/evaluate_real_{case}.benchmark.tsv"
        params:
            cool=lambda w, input: f"{input.data}/{HIC_REAL_CASES[w.case].cool}",
            replicates=lambda w, input: " ".join(
                f"--replicate {name}={input.data}/{file}" for name, file in HIC_REAL_CASES[w.case].replicates.items()
            ),
            models=" ".join(f"--model {name}={path}" for name, path in HIC_REAL_MODELS.items()),
        wildcard_constraints:
            case="|".join(HIC_REAL_CASES) or "no-case",
        threads: 1
        resources:
            mem_mb=3000,
            runtime=20,
            gpu=HIC_SETTINGS.gpu,
        shell:
            "sciml hic evaluate-real --config {input.settings} --cool {params.cool} {params.replicates}"
            " {params.models} --out-dir {output} --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule hic_evaluate:
        input:
            test=HIC_DIR + "/sim/test",
            val=HIC_DIR + "/sim/val",
            real=HIC_DIR + "/yeast",
            model=HIC_DIR + "/model",
            sim_model=HIC_DIR + "/model_sim",
            hicplus=HIC_DIR + "/hicplus",
            finetuned=HIC_DIR + "/model_finetuned",
            real_eval=expand(HIC_DIR + "/real/{case}", case=HIC_REAL_CASES),
            settings=settings_file(
                "hic/evaluate",
                {
                    "depths": HIC_DEPTHS,
                    "yeast": HIC.get("yeast", {}),
                    "metrics": HIC.get("evaluate", {}),
                    "seed": SEED,
                },
            ),
        output:
            metrics=HIC_DIR + "/metrics.json",
            tables=expand(
                HIC_DIR + "/{table}.tsv",
                table=[
                    "sim_per_chromosome",
                    "yeast_per_chromosome",
                    "sim_distance_pearson",
                    "yeast_distance_pearson",
                ],
            ),
            figures=[
                report(
                    HIC_DIR + "/" + f,
                    caption="../report/hic_" + f.replace(".png", ".rst"),
                    category="hic",
                )
                for f in HIC_FIGURES
            ],
        log:
            "logs/hic/evaluate.log",
        benchmark:
            "logs/hic/evaluate.benchmark.tsv"
        params:
            real_eval=lambda w, input: f"--real-eval {' '.join(input.real_eval)}" if input.real_eval else "",
        threads: HIC_SETTINGS.threads
        resources:
            mem_mb=6000,
            runtime=30,
            gpu=HIC_SETTINGS.gpu,
        shell:
            "sciml hic evaluate --config {input.settings} --test {input.test} --val {input.val}"
            " --real {input.real} --model {input.model} --sim-model {input.sim_model} --hicplus {input.hicplus}"
            " --finetuned {input.finetuned} {params.real_eval}"
            " --out-dir {HIC_DIR} --device {DEVICE} --threads {threads} > {log} 2>&1"

    TARGETS.append(HIC_DIR + "/metrics.json")
    TARGETS.extend(HIC_DIR + "/" + f for f in HIC_FIGURES)
