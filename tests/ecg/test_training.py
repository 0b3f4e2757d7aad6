import numpy as np
import torch

from sciml.ecg.aami import CLASSES
from sciml.ecg.dataset import load_annotated_beats
from sciml.ecg.models import BeatNet, BeatNetConfig
from sciml.ecg.scores import class_scores
from sciml.ecg.training import predict_logits, train_beat_classifier
from sciml.train import FitConfig, seed_everything


def test_training_learns_held_out_record_and_is_reproducible(ecg_dir):
    beats = load_annotated_beats(ecg_dir, ["r1", "r2"], fs=180)
    train, val = beats.of_records(["r1"]), beats.of_records(["r2"])
    config = FitConfig(max_epochs=6, batch_size=32, lr=3e-3, monitor="val_macro_f1", mode="max", patience=6,
                       device="cpu")
    runs = []
    for _ in range(2):
        seed_everything(0)
        model = BeatNet(BeatNetConfig(width=8, dilations=[1, 2]))
        result = train_beat_classifier(model, train, val, config, loss="focal")
        runs.append(predict_logits(model, val))
    np.testing.assert_array_equal(runs[0], runs[1])
    scores = class_scores(val.label, runs[0].argmax(1))
    assert result.best_value == max(h["val_macro_f1"] for h in result.history)
    assert scores["V_se"] >= 0.85 and scores["accuracy"] > 0.95, scores
    assert torch.isfinite(model.rr_std).all()


def test_validation_set_gets_irregular_rhythm_copies_of_its_n_beats(ecg_dir, monkeypatch):
    import sciml.ecg.training as training

    beats = load_annotated_beats(ecg_dir, ["r1", "r2"], fs=180)
    train, val = beats.of_records(["r1"]), beats.of_records(["r2"])
    seen = {}

    def fake_fit(model, train_set, loss_fn, config, *, val_set, **kwargs):
        seen["train"], seen["val"] = len(train_set), len(val_set)

    monkeypatch.setattr(training, "fit", fake_fit)
    config = FitConfig(max_epochs=1, device="cpu")
    model = BeatNet(BeatNetConfig(width=8, dilations=[1, 2]))
    n_normal = int((val.label == CLASSES.index("N")).sum())
    train_beat_classifier(model, train, val, config, val_irregular_fraction=1.0)
    assert seen == {"train": len(train), "val": len(val) + n_normal}
    train_beat_classifier(model, train, val, config, val_irregular_fraction=0.0)
    assert seen == {"train": len(train), "val": len(val)}


def test_bad_synthetic_beat_settings_are_config_errors(ecg_dir):
    import pytest

    from sciml.errors import ConfigError

    beats = load_annotated_beats(ecg_dir, ["r1", "r2"], fs=180)
    train, val = beats.of_records(["r1"]), beats.of_records(["r2"])
    model = BeatNet(BeatNetConfig(width=8, dilations=[1, 2]))
    config = FitConfig(max_epochs=1, device="cpu")
    for kwargs, key in [({"irregular_fraction": -0.1}, "ecg.irregular_fraction"),
                        ({"irregular_fraction": 1.5}, "ecg.irregular_fraction"),
                        ({"val_irregular_fraction": 2.0}, "ecg.val_irregular_fraction"),
                        ({"aberrant_copies": -1}, "ecg.aberrant_copies")]:
        with pytest.raises(ConfigError, match=key):
            train_beat_classifier(model, train, val, config, **kwargs)
