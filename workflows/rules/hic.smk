# hic: simulated Hi-C with planted truth -> denoisers (residual U-Net, HiCPlus) -> evaluation on
# simulated test chromosomes and on a thinned real yeast map. Switched by config["hic"]["enabled"].
import json

if config["hic"]["enabled"]:
    HIC = config["hic"]
    HIC_DIR = RESULTS + "/hic"
    # trained folder -> (config key under hic.models, architecture); results/hic/model is the U-Net
    # plus its per-bin correctors (rules hic_bin_corrector, hic_attach_correctors)
    HIC_TRAINED = {"unet": ("model", "unet"), "hicplus": ("hicplus", "hicplus")}
    HIC_FIGURES = [
        "sim_heatmaps.png",
        "sim_distance_pearson.png",
        "yeast_heatmaps.png",
        "yeast_distance_pearson.png",
    ]

    def hic_split_settings(wildcards):
        split = HIC["splits"][wildcards.split]
        bias = HIC["bias_" + split["bias"]]
        return json.dumps({"simulation": HIC["simulation"], "bias": bias})

    HIC_DEPTHS = " ".join(str(d) for d in HIC["depths"])

    def hic_model_settings(name):
        key, arch = HIC_TRAINED[name]
        model = HIC["models"][key]
        return json.dumps({"denoiser": model["denoiser"] | {"arch": arch}, "fit": model["fit"]})

    def hic_train_settings(wildcards):
        return hic_model_settings(wildcards.name)

    rule hic_simulate:
        output:
            directory(HIC_DIR + "/sim/{split}"),
        log:
            "logs/hic/simulate_{split}.log",
        params:
            settings=hic_split_settings,
            n_chroms=lambda w: HIC["splits"][w.split]["n_chroms"],
            n_bins=lambda w: HIC["splits"][w.split]["n_bins"],
            seed=lambda w: SEED * 1000 + HIC["splits"][w.split]["seed_offset"],
            depths=HIC_DEPTHS,
        wildcard_constraints:
            split="train|val|test|calib",
        threads: 1
        resources:
            mem_mb=4000,
            runtime=20,
        shell:
            "sciml hic simulate --out {output} --n-chroms {params.n_chroms} --n-bins {params.n_bins}"
            " --binsize {HIC[binsize]} --depths {params.depths} --settings '{params.settings}'"
            " --seed {params.seed} --threads {threads} > {log} 2>&1"

    rule hic_prepare_yeast:
        input:
            dataset_dir("hic-yeast-10kb"),
        output:
            directory(HIC_DIR + "/yeast"),
        log:
            "logs/hic/prepare_yeast.log",
        threads: 1
        resources:
            mem_mb=2000,
            runtime=10,
        shell:
            "sciml hic prepare-real --cool {input}/yeast.10kb.cool --out {output}"
            " --depth {HIC[yeast][depth]} --seed {SEED} --threads {threads} > {log} 2>&1"

    rule hic_train:
        input:
            train=HIC_DIR + "/sim/train",
            val=HIC_DIR + "/sim/val",
        output:
            model=directory(HIC_DIR + "/{name}"),
        log:
            "logs/hic/train_{name}.log",
        benchmark:
            "logs/hic/train_{name}.benchmark.tsv"
        params:
            settings=hic_train_settings,
            depths=HIC_DEPTHS,
            work=lambda w: training_checkpoints("hic", w.name, hic_train_settings(w), HIC_DEPTHS),
        wildcard_constraints:
            name="unet|hicplus",
        threads: 1
        resources:
            mem_mb=6000,
            runtime=60,
            gpu=HIC.get("gpu", 0),
        shell:
            "sciml hic train --train {input.train} --val {input.val} --out {output.model}"
            " --work {params.work} --resume --depths {params.depths} --val-depths {HIC[depths][0]}"
            " --settings '{params.settings}' --seed {SEED} --device {DEVICE} --threads {threads}"
            " > {log} 2>&1"

    # the per-bin corrector ensemble: its examples (the U-Net's outputs on the calib and val splits)
    # are made once; each corrector seed trains in its own job (side by side at --cores 2)
    HIC_CORRECTOR_SEEDS = HIC["bin_corrector"].get("seeds", [0])
    HIC_CORRECTOR_FIT = {k: v for k, v in HIC["bin_corrector"].items() if k != "seeds"}

    rule hic_corrector_inputs:
        input:
            model=HIC_DIR + "/unet",
            calib=HIC_DIR + "/sim/calib",
            val=HIC_DIR + "/sim/val",
        output:
            directory(HIC_DIR + "/corrector_inputs"),
        log:
            "logs/hic/corrector_inputs.log",
        benchmark:
            "logs/hic/corrector_inputs.benchmark.tsv"
        params:
            depths=HIC_DEPTHS,
            band=f"--target-band {HIC['bin_corrector']['target_band_bins']}"
            if "target_band_bins" in HIC["bin_corrector"]
            else "",
        threads: 1
        resources:
            mem_mb=4000,
            runtime=20,
            gpu=HIC.get("gpu", 0),
        shell:
            "sciml hic corrector-inputs --model {input.model} --train {input.calib} --val {input.val}"
            " --out {output} --depths {params.depths} {params.band} --device {DEVICE} --threads {threads}"
            " > {log} 2>&1"

    rule hic_bin_corrector:
        input:
            model=HIC_DIR + "/unet",
            inputs=HIC_DIR + "/corrector_inputs",
        output:
            directory(HIC_DIR + "/bin_corrector/seed{cseed}"),
        log:
            "logs/hic/bin_corrector_seed{cseed}.log",
        benchmark:
            "logs/hic/bin_corrector_seed{cseed}.benchmark.tsv"
        params:
            settings=json.dumps(HIC_CORRECTOR_FIT),
            seed=lambda w: SEED * 1000 + int(w.cseed),
            work=lambda w: training_checkpoints(
                "hic",
                f"bin_corrector_seed{w.cseed}",
                HIC_CORRECTOR_FIT,
                hic_model_settings("unet"),
                HIC_DEPTHS,
                HIC["splits"]["calib"],
            ),
        wildcard_constraints:
            cseed=r"\d+",
        threads: 1
        resources:
            mem_mb=3000,
            runtime=30,
            gpu=HIC.get("gpu", 0),
        shell:
            "sciml hic train-corrector --model {input.model} --inputs {input.inputs} --out {output} --work {params.work}"
            " --settings '{params.settings}' --seed {params.seed} --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule hic_attach_correctors:
        input:
            model=HIC_DIR + "/unet",
            correctors=expand(HIC_DIR + "/bin_corrector/seed{cseed}", cseed=HIC_CORRECTOR_SEEDS),
        output:
            model=directory(HIC_DIR + "/model"),
        log:
            "logs/hic/attach_correctors.log",
        threads: 1
        resources:
            mem_mb=1000,
            runtime=5,
        shell:
            "sciml hic attach-correctors --model {input.model} --correctors {input.correctors} --out {output.model}"
            " > {log} 2>&1"

    rule hic_finetune:
        input:
            model=HIC_DIR + "/unet",
            real=HIC_DIR + "/yeast",
        output:
            model=directory(HIC_DIR + "/model_finetuned"),
        log:
            "logs/hic/finetune.log",
        benchmark:
            "logs/hic/finetune.benchmark.tsv"
        params:
            settings=json.dumps({"fit": HIC["finetune_fit"], "thinning_draws": HIC.get("finetune_thinning_draws", 1)}),
            test=" ".join(HIC["yeast"]["test_chromosomes"]),
            val=" ".join(HIC["yeast"]["val_chromosomes"]),
            work=training_checkpoints(
                "hic", "model_finetuned", HIC["finetune_fit"], HIC["yeast"], HIC.get("finetune_thinning_draws", 1)
            ),
        threads: HIC.get("threads", 2)
        resources:
            mem_mb=4000,
            runtime=30,
            gpu=HIC.get("gpu", 0),
        shell:
            "sciml hic finetune --model {input.model} --real {input.real} --depth {HIC[yeast][depth]}"
            " --test-chromosomes {params.test} --val-chromosomes {params.val} --out {output.model}"
            " --work {params.work} --resume --settings '{params.settings}' --seed {SEED} --device {DEVICE}"
            " --threads {threads} > {log} 2>&1"

    rule hic_evaluate:
        input:
            test=HIC_DIR + "/sim/test",
            val=HIC_DIR + "/sim/val",
            real=HIC_DIR + "/yeast",
            model=HIC_DIR + "/model",
            hicplus=HIC_DIR + "/hicplus",
            finetuned=HIC_DIR + "/model_finetuned",
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
            settings=json.dumps(HIC["evaluation"]),
            depths=" ".join(str(d) for d in HIC["depths"]),
            test=" ".join(HIC["yeast"]["test_chromosomes"]),
            val=" ".join(HIC["yeast"]["val_chromosomes"]),
        threads: HIC.get("threads", 2)
        resources:
            mem_mb=6000,
            runtime=30,
            gpu=HIC.get("gpu", 0),
        shell:
            "sciml hic evaluate --test {input.test} --val {input.val} --real {input.real} --model {input.model}"
            " --hicplus {input.hicplus} --finetuned {input.finetuned} --depths {params.depths}"
            " --real-depth {HIC[yeast][depth]} --test-chromosomes {params.test}"
            " --val-chromosomes {params.val} --settings '{params.settings}'"
            " --out-dir {HIC_DIR} --seed {SEED} --device {DEVICE} --threads {threads} > {log} 2>&1"

    TARGETS.append(HIC_DIR + "/metrics.json")
    TARGETS.extend(HIC_DIR + "/" + f for f in HIC_FIGURES)
