# ecg: MIT-BIH records -> AAMI beats -> dilated CNN teacher (+ loss comparison) -> distilled student
# (-> structured pruning of the student, when `prune_student`) -> held-out DS2 evaluation (calibration,
# patient-adaptive mode, int8, R-peak detector). Switched by config["ecg"]["enabled"].

if config["ecg"]["enabled"]:
    from dataclasses import replace as ecg_replace

    from sciml.settings import from_dict, to_dict, workflow_settings_class

    # The section, validated and completed with the defaults of sciml.ecg.settings; each job's settings
    # file holds every value it runs with, so a changed default reruns the job too.
    ECG = from_dict(workflow_settings_class("ecg"), config["ecg"], prefix="ecg")
    ECG_OTHER_LOSS = {"focal": "weighted_ce", "weighted_ce": "focal"}[ECG.teacher.loss]
    ECG_COMPARE = [RESULTS + f"/ecg/compare/{ECG_OTHER_LOSS}"] if ECG.compare_losses else []
    ECG_PRUNED = [RESULTS + "/ecg/student_pruned"] if ECG.prune_student else []

    def ecg_training_settings(job, **fixed):
        """A training job's settings: its section with the shared beats (`data`) and the seed."""
        return to_dict(ecg_replace(getattr(ECG, job), data=ECG.data, seed=SEED, **fixed))

    ECG_SETTINGS = {
        "preprocess": settings_file(
            "ecg/preprocess", {"preprocessing": to_dict(ECG.preprocessing), "records": to_dict(ECG.records)}
        ),
        "rpeaks": settings_file(
            "ecg/rpeaks", {"preprocessing": to_dict(ECG.preprocessing), "records": to_dict(ECG.rpeak_records)}
        ),
        "teacher": settings_file("ecg/teacher", ecg_training_settings("teacher")),
        "student": settings_file("ecg/student", ecg_training_settings("student")),
        "prune": settings_file("ecg/prune", ecg_training_settings("prune")),
        "evaluate": settings_file("ecg/evaluate", to_dict(ecg_replace(ECG.evaluate, seed=SEED))),
    }
    for ecg_loss in ("focal", "weighted_ce"):
        ECG_SETTINGS[f"compare_{ecg_loss}"] = settings_file(
            f"ecg/compare_{ecg_loss}", ecg_training_settings("teacher", loss=ecg_loss)
        )

    def ecg_checkpoints(job, *upstream):
        """Checkpoint folder of a training job, keyed on its settings and on those of the `upstream` jobs whose
        models it starts from (a changed setting, or a retrained teacher or student, never resumes)."""
        return training_checkpoints("ecg", job, *(Path(ECG_SETTINGS[j]).read_text() for j in (job, *upstream)))

    rule ecg_preprocess:
        input:
            records=dataset_dir("mitdb"),
            settings=ECG_SETTINGS["preprocess"],
        output:
            RESULTS + "/ecg/beats.npz",
        log:
            "logs/ecg/preprocess.log",
        threads: 1
        resources:
            mem_mb=2000,
            runtime=15,
        shell:
            "sciml ecg preprocess --config {input.settings} --in {input.records} --out {output} > {log} 2>&1"

    rule ecg_rpeaks:
        input:
            records=dataset_dir("mitdb"),
            settings=ECG_SETTINGS["rpeaks"],
        output:
            RESULTS + "/ecg/rpeaks.tsv",
        log:
            "logs/ecg/rpeaks.log",
        threads: 1
        resources:
            mem_mb=2000,
            runtime=20,
        shell:
            "sciml ecg rpeaks --config {input.settings} --in {input.records} --out {output} > {log} 2>&1"

    rule ecg_train:
        input:
            beats=RESULTS + "/ecg/beats.npz",
            settings=ECG_SETTINGS["teacher"],
        output:
            model=directory(RESULTS + "/ecg/model"),
        log:
            "logs/ecg/train.log",
        benchmark:
            "logs/ecg/train.benchmark.tsv"
        params:
            work=ecg_checkpoints("teacher"),
        threads: ECG.threads
        resources:
            mem_mb=4000,
            runtime=60,
            gpu=ECG.gpu,
        shell:
            "sciml ecg train --config {input.settings} --in {input.beats} --out {output.model} "
            "--workdir {params.work} --resume --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule ecg_train_compare:
        input:
            beats=RESULTS + "/ecg/beats.npz",
            settings=lambda wc: ECG_SETTINGS[f"compare_{wc.loss}"],
        output:
            model=directory(RESULTS + "/ecg/compare/{loss}"),
        wildcard_constraints:
            loss="focal|weighted_ce",
        log:
            "logs/ecg/train_compare_{loss}.log",
        benchmark:
            "logs/ecg/train_compare_{loss}.benchmark.tsv"
        params:
            work=lambda wc: ecg_checkpoints(f"compare_{wc.loss}"),
        threads: ECG.threads
        resources:
            mem_mb=4000,
            runtime=60,
            gpu=ECG.gpu,
        shell:
            "sciml ecg train --config {input.settings} --in {input.beats} --out {output.model} "
            "--workdir {params.work} --resume --device {DEVICE} --threads {threads} > {log} 2>&1"

    rule ecg_distill:
        input:
            beats=RESULTS + "/ecg/beats.npz",
            teacher=RESULTS + "/ecg/model",
            settings=ECG_SETTINGS["student"],
        output:
            model=directory(RESULTS + "/ecg/student"),
        log:
            "logs/ecg/distill.log",
        benchmark:
            "logs/ecg/distill.benchmark.tsv"
        params:
            work=ecg_checkpoints("student", "teacher"),
        threads: ECG.threads
        resources:
            mem_mb=4000,
            runtime=60,
            gpu=ECG.gpu,
        shell:
            "sciml ecg distill --config {input.settings} --in {input.beats} --teacher {input.teacher} "
            "--out {output.model} --workdir {params.work} --resume --device {DEVICE} --threads {threads} "
            "> {log} 2>&1"

    rule ecg_prune:
        input:
            beats=RESULTS + "/ecg/beats.npz",
            teacher=RESULTS + "/ecg/model",
            student=RESULTS + "/ecg/student",
            settings=ECG_SETTINGS["prune"],
        output:
            model=directory(RESULTS + "/ecg/student_pruned"),
        log:
            "logs/ecg/prune.log",
        benchmark:
            "logs/ecg/prune.benchmark.tsv"
        params:
            work=ecg_checkpoints("prune", "teacher", "student"),
        threads: ECG.threads
        resources:
            mem_mb=4000,
            runtime=60,
            gpu=ECG.gpu,
        shell:
            "sciml ecg prune --config {input.settings} --in {input.beats} --teacher {input.teacher} "
            "--student {input.student} --out {output.model} --workdir {params.work} --resume --device {DEVICE} "
            "--threads {threads} > {log} 2>&1"

    rule ecg_evaluate:
        input:
            records=dataset_dir("mitdb"),
            beats=RESULTS + "/ecg/beats.npz",
            teacher=RESULTS + "/ecg/model",
            student=RESULTS + "/ecg/student",
            rpeaks=RESULTS + "/ecg/rpeaks.tsv",
            compare=ECG_COMPARE,
            pruned=ECG_PRUNED,
            settings=ECG_SETTINGS["evaluate"],
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
            pruned=f"--pruned {ECG_PRUNED[0]}" if ECG_PRUNED else "",
        threads: 1
        resources:
            mem_mb=4000,
            runtime=30,
        shell:
            "sciml ecg evaluate --config {input.settings} --in {input.beats} --model {input.teacher} "
            "--student {input.student} {params.pruned} --rpeaks {input.rpeaks} --compare {input.compare} "
            "--records {input.records} "
            "--metrics {output.metrics} --per-record {output.per_record} --confusion {output.confusion} "
            "--reliability {output.reliability} --saliency {output.saliency} --threads {threads} > {log} 2>&1"

    TARGETS.extend(
        [
            RESULTS + "/ecg/metrics.json",
            RESULTS + "/ecg/per_record.tsv",
            RESULTS + "/ecg/confusion.png",
            RESULTS + "/ecg/reliability.png",
            RESULTS + "/ecg/saliency.png",
        ]
    )
