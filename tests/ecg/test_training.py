import numpy as np
import torch

from sciml.ecg.aami import CLASSES
from sciml.ecg.dataset import load_annotated_beats
from sciml.ecg.models import BeatNet, BeatNetConfig
from sciml.ecg.scores import class_scores
from sciml.ecg.settings import BeatData, Optimiser, TrainSettings
from sciml.ecg.training import predict_logits, train_beat_classifier
from sciml.train import seed_everything

#: No synthetic beats, as a plain training run.
PLAIN = BeatData(irregular_fraction=0.0)


def test_training_learns_held_out_record_and_is_reproducible(ecg_dir):
    beats = load_annotated_beats(ecg_dir, ["r1", "r2"], fs=180)
    train, val = beats.of_records(["r1"]), beats.of_records(["r2"])
    settings = TrainSettings(epochs=6, patience=6, optimiser=Optimiser(batch_size=32, lr=3e-3),
                             data=PLAIN, val_irregular_fraction=0.0)
    runs = []
    for _ in range(2):
        seed_everything(0)
        model = BeatNet(BeatNetConfig(width=8, dilations=[1, 2]))
        result = train_beat_classifier(model, train, val, settings, device="cpu")
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
    model = BeatNet(BeatNetConfig(width=8, dilations=[1, 2]))
    n_normal = int((val.label == CLASSES.index("N")).sum())
    train_beat_classifier(model, train, val, TrainSettings(epochs=1, data=PLAIN, val_irregular_fraction=1.0),
                          device="cpu")
    assert seen == {"train": len(train), "val": len(val) + n_normal}
    train_beat_classifier(model, train, val, TrainSettings(epochs=1, data=PLAIN, val_irregular_fraction=0.0),
                          device="cpu")
    assert seen == {"train": len(train), "val": len(val)}


def test_bad_synthetic_beat_settings_are_config_errors():
    import pytest

    from sciml.errors import ConfigError
    from sciml.settings import from_dict

    for mapping, key in [({"data": {"irregular_fraction": -0.1}}, "data.irregular_fraction"),
                         ({"data": {"irregular_fraction": 1.5}}, "data.irregular_fraction"),
                         ({"val_irregular_fraction": 2.0}, "val_irregular_fraction"),
                         ({"data": {"aberrant_copies": -1}}, "data.aberrant_copies"),
                         ({"augmentation": {"time_scale": 1.5}}, "augmentation.time_scale"),
                         ({"augmentation": {"baseline": -0.1}}, "augmentation.baseline"),
                         ({"network": {"rr_features": ["pre_rr_s", "qt_s"]}}, "network.rr_features"),
                         ({"calibration": {"min_temperature": -1}}, "calibration.min_temperature")]:
        with pytest.raises(ConfigError, match=key):
            from_dict(TrainSettings, mapping)


def test_thinning_keeps_every_rare_beat_and_at_most_k_normal_beats_per_record(ecg_dir):
    from sciml.ecg.training import thin_normal_beats

    beats = load_annotated_beats(ecg_dir, ["r1", "r2"], fs=180)
    thin = thin_normal_beats(beats, 20, seed=0)
    normal = CLASSES.index("N")
    for name in ("r1", "r2"):
        mine = thin.record == name
        assert (thin.label[mine] == normal).sum() == 20
        assert (thin.label[mine] != normal).sum() == ((beats.record == name) & (beats.label != normal)).sum() > 0
    np.testing.assert_array_equal(thin.sample, thin_normal_beats(beats, 20, seed=0).sample)
    assert len(thin_normal_beats(beats, None, seed=0)) == len(beats)
    assert len(thin_normal_beats(beats, 10_000, seed=0)) == len(beats)


def test_augmentation_keeps_the_r_peak_and_the_masked_samples():
    from sciml.ecg.settings import Augmentation
    from sciml.ecg.training import augment

    torch.manual_seed(0)
    t = torch.arange(144, dtype=torch.float32)
    beat = torch.exp(-0.5 * ((t - 54) / 3) ** 2) + 0.3 * torch.exp(-0.5 * ((t - 100) / 8) ** 2)  # QRS, T wave
    beat[120:] = 0.0  # the next beat's samples, masked as extract_beats does
    waves = beat.expand(64, 2, 144).clone()
    stretched = augment(waves, Augmentation(gain=0, noise=0, time_scale=0.2), r_index=54)
    assert (stretched[:, :, 54] == 1.0).all()  # the R peak stays where it is
    t_wave = stretched[:, 0, 70:].argmax(dim=1) + 70
    assert t_wave.min() < 95 and t_wave.max() > 105  # the T wave moves both ways
    lifted = augment(waves, Augmentation(gain=0, noise=0, baseline=0.2), r_index=54)
    assert (lifted[:, :, 120:] == 0).all() and (lifted[:, :, :120] - waves[:, :, :120]).abs().max() > 0.05
    gained = augment(waves, Augmentation(gain=0.15, noise=0), r_index=54)
    ratio = gained[:, 0, 54] / waves[:, 0, 54]
    assert 0.85 <= ratio.min() < ratio.max() <= 1.15
    torch.testing.assert_close(augment(waves, Augmentation(gain=0, noise=0), r_index=54), waves)


def test_temperature_is_fitted_unbounded_and_kept_at_1_without_validation_errors(ecg_dir):
    from sciml.ecg.settings import Calibration
    from sciml.ecg.training import calibrate_temperature

    beats = load_annotated_beats(ecg_dir, ["r2"], fs=180)

    class Fixed(torch.nn.Module):
        """Logits (N, 5): 2 for the given class, 0 elsewhere."""

        def __init__(self, classes):
            super().__init__()
            self.classes = torch.as_tensor(classes)

        def forward(self, waves, rr):
            return 2.0 * torch.nn.functional.one_hot(self.classes[: len(waves)], 5).float()

    right = beats.label.copy()
    wrong = right.copy()
    wrong[::10] = (wrong[::10] + 1) % 2  # 10 % errors with the same confidence: under-confident -> T < 1
    t, fitted = calibrate_temperature(Fixed(wrong), beats, Calibration())
    assert t == fitted < 1.0
    assert calibrate_temperature(Fixed(wrong), beats, Calibration(min_temperature=1.0))[0] == 1.0
    assert calibrate_temperature(Fixed(right), beats, Calibration())[0] == 1.0


def test_lead_dropout_zeroes_the_second_lead_of_some_beats_only():
    from sciml.ecg.settings import Augmentation
    from sciml.ecg.training import augment

    torch.manual_seed(0)
    waves = torch.rand(2000, 4, 144) + 0.1
    out = augment(waves, Augmentation(gain=0, noise=0, lead_dropout=0.25), r_index=54)
    torch.testing.assert_close(out[:, :2], waves[:, :2])
    dropped = (out[:, 2:] == 0).all(dim=(1, 2))
    kept = (out[:, 2:] == waves[:, 2:]).all(dim=(1, 2))
    assert (dropped | kept).all() and 0.2 < dropped.float().mean() < 0.3
    torch.testing.assert_close(augment(waves[:, :2], Augmentation(gain=0, noise=0, lead_dropout=0.9), 54),
                               waves[:, :2])  # one-lead beats: nothing to drop
