# ecg: MIT-BIH records -> AAMI beats -> dilated CNN teacher (+ loss comparison) -> distilled student
# -> held-out DS2 evaluation (calibration, patient-adaptive mode, int8, R-peak detector). Switched by config["ecg"]["enabled"].

if config["ecg"]["enabled"]:
    ECG = config["ecg"]
    ECG_OUT = RESULTS + "/ecg"
    ECG_OTHER_LOSS = {"focal": "weighted_ce", "weighted_ce": "focal"}[ECG["teacher"]["loss"]]
    ECG_COMPARE = [ECG_OUT + f"/compare/{ECG_OTHER_LOSS}"] if ECG["compare_losses"] else []

    def ecg_list(values):
        """Comma-separated CLI value of a config list (records, leads, dilations)."""
        return ",".join(str(v) for v in values)

    def ecg_records_option(key):
        return f"--records {ecg_list(ECG[key])}" if ECG.get(key) else ""

    # ecg.feature_version follows sciml.ecg.beats.FEATURE_VERSION (preprocess checks it): a new version
    # changes these params, so Snakemake reruns preprocessing and everything downstream.
    ECG_PREP = (
        f"--feature-version {ECG['feature_version']} --fs {ECG['fs']} --before-s {ECG['before_s']} --after-s {ECG['after_s']} "
        f"--leads {ecg_list(ECG['leads'])} --low-hz {ECG['band_hz'][0]} --high-hz {ECG['band_hz'][1]} "
        f"--max-flat-s {ECG['max_flat_s']}"
    )

    def ecg_net_options(part):
        p = ECG[part]
        options = (
            f"--width {p['width']} --dilations {ecg_list(p['dilations'])} --kernel-size {p['kernel_size']} "
            f"--stem-stride {p['stem_stride']} --epochs {p['epochs']} --batch-size {p['batch_size']} "
            f"--lr {p['lr']} --patience {p['patience']} --class-weight-power {ECG['class_weight_power']} "
            f"--val-records {ecg_list(ECG['val_records'])} --width-multiplier {p.get('width_multiplier', 1.0)} "
            f"--min-temperature {ECG['min_temperature']} --irregular-fraction {ECG['irregular_fraction']} "
            f"--aberrant-copies {ECG['aberrant_copies']}"
        )
        return options + (" --squeeze-excitation" if p.get("squeeze_excitation") else "")

    # Teachers only: the student's early stopping follows its distillation loss on the validation records.
    ECG_TEACHER = ecg_net_options("teacher") + f" --val-irregular-fraction {ECG['val_irregular_fraction']}"

    ECG_KD = (
        f"--kd-temperature {ECG['student']['kd_temperature']} --kd-alpha {ECG['student']['kd_alpha']} "
        f"--monitor {ECG['student'].get('monitor', 'val_macro_f1')}"
    )

    rule ecg_preprocess:
        input:
            dataset_dir("mitdb"),
        output:
            RESULTS + "/ecg/beats.npz",
        log:
            "logs/ecg/preprocess.log",
        params:
            prep=ECG_PREP,
            records=ecg_records_option("records"),
        threads: 1
        resources:
            mem_mb=2000,
            runtime=15,
        shell:
            "sciml ecg preprocess --in {input} --out {output} {params.prep} {params.records} "
            "--seed {SEED} --threads {threads} > {log} 2>&1"

    rule ecg_rpeaks:
        input:
            dataset_dir("mitdb"),
        output:
            RESULTS + "/ecg/rpeaks.tsv",
        log:
            "logs/ecg/rpeaks.log",
        params:
            prep=ECG_PREP,
            records=ecg_records_option("rpeak_records"),
        threads: 1
        resources:
            mem_mb=2000,
            runtime=20,
        shell:
            "sciml ecg rpeaks --in {input} --out {output} {params.prep} {params.records} "
            "--threads {threads} > {log} 2>&1"

    rule ecg_train:
        input:
            RESULTS + "/ecg/beats.npz",
        output:
            model=directory(RESULTS + "/ecg/model"),
        log:
            "logs/ecg/train.log",
        benchmark:
            "logs/ecg/train.benchmark.tsv"
        params:
            net=ECG_TEACHER,
            loss=ECG["teacher"]["loss"],
            work=training_checkpoints("ecg", "teacher", ECG_TEACHER, ECG["teacher"]["loss"]),
        threads: ECG["threads"]
        resources:
            mem_mb=4000,
            runtime=60,
            gpu=ECG.get("gpu", 0),
        shell:
            "sciml ecg train --in {input} --out {output.model} --workdir {params.work} --resume --loss {params.loss} "
            "{params.net} --seed {SEED} --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule ecg_train_compare:
        input:
            RESULTS + "/ecg/beats.npz",
        output:
            model=directory(RESULTS + "/ecg/compare/{loss}"),
        wildcard_constraints:
            loss="focal|weighted_ce",
        log:
            "logs/ecg/train_compare_{loss}.log",
        benchmark:
            "logs/ecg/train_compare_{loss}.benchmark.tsv"
        params:
            net=ECG_TEACHER,
            work=lambda wc: training_checkpoints("ecg", f"compare_{wc.loss}", ECG_TEACHER, wc.loss),
        threads: ECG["threads"]
        resources:
            mem_mb=4000,
            runtime=60,
            gpu=ECG.get("gpu", 0),
        shell:
            "sciml ecg train --in {input} --out {output.model} --workdir {params.work} --resume --loss {wildcards.loss} "
            "{params.net} --seed {SEED} --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule ecg_distill:
        input:
            beats=RESULTS + "/ecg/beats.npz",
            teacher=RESULTS + "/ecg/model",
        output:
            model=directory(RESULTS + "/ecg/student"),
        log:
            "logs/ecg/distill.log",
        benchmark:
            "logs/ecg/distill.benchmark.tsv"
        params:
            net=ecg_net_options("student"),
            kd=ECG_KD,
            work=training_checkpoints("ecg", "student", ecg_net_options("student"), ECG_KD),
        threads: ECG["threads"]
        resources:
            mem_mb=4000,
            runtime=60,
            gpu=ECG.get("gpu", 0),
        shell:
            "sciml ecg distill --in {input.beats} --teacher {input.teacher} --out {output.model} "
            "--workdir {params.work} --resume {params.net} {params.kd} --seed {SEED} --device {DEVICE} "
            "--threads {threads} > {log} 2>&1"

    rule ecg_evaluate:
        input:
            beats=RESULTS + "/ecg/beats.npz",
            teacher=RESULTS + "/ecg/model",
            student=RESULTS + "/ecg/student",
            rpeaks=RESULTS + "/ecg/rpeaks.tsv",
            compare=ECG_COMPARE,
        output:
            metrics=RESULTS + "/ecg/metrics.json",
            per_record=report(
                RESULTS + "/ecg/per_record.tsv", caption="../report/ecg_per_record.rst", category="ecg"
            ),
            confusion=report(
                RESULTS + "/ecg/confusion.png", caption="../report/ecg_confusion.rst", category="ecg"
            ),
            reliability=report(
                RESULTS + "/ecg/reliability.png", caption="../report/ecg_reliability.rst", category="ecg"
            ),
            saliency=report(
                RESULTS + "/ecg/saliency.png", caption="../report/ecg_saliency.rst", category="ecg"
            ),
        log:
            "logs/ecg/evaluate.log",
        benchmark:
            "logs/ecg/evaluate.benchmark.tsv"
        params:
            adapt=(
                f"--adapt-minutes {ECG['adapt_minutes']} --adapt-l2 {ECG['adapt_l2']} "
                f"--adapt-prototype-weight {ECG['adapt_prototype_weight']}"
            ),
            compare=lambda wildcards, input: ("--compare " + " ".join(input.compare)) if input.compare else "",
        threads: 1
        resources:
            mem_mb=4000,
            runtime=30,
        shell:
            "sciml ecg evaluate --in {input.beats} --model {input.teacher} --student {input.student} "
            "--rpeaks {input.rpeaks} {params.compare} {params.adapt} --metrics {output.metrics} "
            "--per-record {output.per_record} --confusion {output.confusion} "
            "--reliability {output.reliability} --saliency {output.saliency} --seed {SEED} "
            "--threads {threads} > {log} 2>&1"

    TARGETS.extend(
        [
            RESULTS + "/ecg/metrics.json",
            RESULTS + "/ecg/per_record.tsv",
            RESULTS + "/ecg/confusion.png",
            RESULTS + "/ecg/reliability.png",
            RESULTS + "/ecg/saliency.png",
        ]
    )
