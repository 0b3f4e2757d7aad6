"""Train a small beat classifier on MIT-BIH records and classify a new patient's record.

The user-guide example of `sciml.ecg`: fetch a few records of the MIT-BIH Arrhythmia Database
(`sciml.data.fetch`), turn them into labelled beats, train a small teacher with the inter-patient
protocol (validation on a held-out patient), and classify every beat of another patient's record,
found by the R-peak detector, with calibrated class probabilities; then the same record as another
database would store it (128 Hz, leads named ECG1/ECG2, half the gain), its lead picked by name. Writes
`ecg-example/` in the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import sciml
from sciml.data import fetch
from sciml.ecg import TrainSettings, predict_record, preprocess_records, train_teacher
from sciml.ecg.settings import BeatData, Network, PreprocessSettings
from sciml.ecg.simulate import write_as_other_database

QUICK = os.environ.get("SCIML_EXAMPLES_QUICK") == "1"

TRAIN = ("101", "106", "118") if QUICK else ("101", "106", "108", "109", "114", "116", "118", "119", "124", "220")
VALIDATION = ("118",) if QUICK else ("118", "220")  # held-out patients with atrial premature beats
NEW_PATIENT = "100"  # a DS2 record: never seen in training
OUT = Path("ecg-example")


def main() -> None:
    records = TRAIN + (NEW_PATIENT,)
    folder = fetch("mitdb", root=OUT / "data", files=[f"{r}.{ext}" for r in records for ext in ("hea", "dat", "atr")])

    # Records -> labelled beats (defaults: 180 Hz, 0.8 s windows, MLII first).
    preprocess_records(folder, OUT / "beats.npz", PreprocessSettings(records=TRAIN))

    # A small teacher; the validation patient chooses the epoch and the temperature.
    settings = TrainSettings(epochs=1 if QUICK else 6, patience=3, network=Network(width=8 if QUICK else 16),
                             data=BeatData(train_records=TRAIN, val_records=VALIDATION))
    train_teacher(OUT / "beats.npz", OUT / "model", settings, device="cpu")

    # The model folder loads as a torch module carrying its temperature and preprocessing.
    model = sciml.load_model(OUT / "model")
    print(f"model: {model.model_config.kind}, temperature {model.temperature:.2f}, "
          f"{model.preprocessing.fs:.0f} Hz, leads {list(model.preprocessing.leads)}")

    # Classify the new patient's beats found by the R-peak detector (no annotations used).
    table = predict_record(OUT / "model", folder / NEW_PATIENT, OUT / "beats.tsv", beats="detect")
    print(f"record {NEW_PATIENT}: {len(table)} beats detected")
    print(table["pred"].value_counts().to_string())
    print(table.head().to_string(index=False))

    # The same record at 128 Hz with other lead names: pick the lead by name; positions come back at 128 Hz.
    copy = write_as_other_database(folder / NEW_PATIENT, OUT / "other-db", fs=128, lead_names=("ECG1", "ECG2"))
    other = predict_record(OUT / "model", copy, OUT / "beats-128hz.tsv", lead="ECG1")  # ECG1 = MLII here
    reference = predict_record(OUT / "model", folder / NEW_PATIENT)
    same = (other["pred"].to_numpy() == reference["pred"].to_numpy()).mean()
    print(f"128 Hz copy, lead ECG1: {len(other)} annotated beats, same class as at 360 Hz for {same:.1%}")


if __name__ == "__main__":
    main()
