"""Motif CNN architectures, receptive field, save/load round trip."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import sciml
from sciml.enhancers.models import MotifCNNConfig, build_model, save_motif_cnn
from sciml.errors import ConfigError


@pytest.mark.parametrize("kind", ["motif", "dilated"])
@pytest.mark.parametrize("activation", ["exp", "relu"])
def test_shapes(kind, activation):
    model = build_model(MotifCNNConfig(kind=kind, activation=activation, seq_length=120, n_tasks=3,
                                       tasks=["a", "b", "c"], n_filters=8, conv_channels=8)).eval()
    x = torch.nn.functional.one_hot(torch.randint(0, 4, (5, 120)), 4).float().transpose(1, 2)
    assert model(x).shape == (5, 3)
    assert model.first_layer(x).shape == (5, 8, 120)


def test_dilated_stack_covers_the_whole_sequence():
    shallow = build_model(MotifCNNConfig(kind="motif", seq_length=400))
    deep = build_model(MotifCNNConfig(kind="dilated", seq_length=400, pool_size=2))
    assert deep.receptive_field() >= 400 > shallow.receptive_field()


def test_bad_config_is_a_config_error():
    with pytest.raises(ConfigError, match="activation"):
        MotifCNNConfig(activation="tanh")
    with pytest.raises(ConfigError, match="tasks"):
        MotifCNNConfig(n_tasks=2)
    with pytest.raises(ConfigError, match="n_filterz"):
        build_model({"n_filterz": 3})
    with pytest.raises(ConfigError, match="first_dropout"):
        MotifCNNConfig(first_dropout=1.0)


def test_first_dropout_defaults_to_half_the_dropout():
    default = build_model(MotifCNNConfig(dropout=0.4, n_filters=4, conv_channels=4))
    assert default.stack[0].p == pytest.approx(0.2)
    explicit = build_model(MotifCNNConfig(dropout=0.4, first_dropout=0.3, n_filters=4, conv_channels=4))
    assert explicit.stack[0].p == pytest.approx(0.3)
    assert [m.p for m in explicit.head if isinstance(m, torch.nn.Dropout)] == [pytest.approx(0.4)]


def test_save_and_load_round_trip(tmp_path):
    model = build_model(MotifCNNConfig(seq_length=60, n_filters=4, conv_channels=4)).eval()
    save_motif_cnn(tmp_path / "m", model)
    loaded = sciml.load_model(tmp_path / "m")
    assert loaded.model_config.kind == "enhancers.motif_cnn" and loaded.config == model.config
    x = torch.rand(2, 4, 60)
    torch.testing.assert_close(loaded(x), model(x))


def test_global_pool_adds_mean_filter_activations_to_the_head():
    plain = build_model(MotifCNNConfig(seq_length=60, n_filters=4, conv_channels=4, pool2_size=5))
    pooled = build_model(MotifCNNConfig(seq_length=60, n_filters=4, conv_channels=4, pool2_size=5,
                                        global_pool=True)).eval()
    assert pooled.head[1].in_features == plain.head[1].in_features + 4
    x = torch.nn.functional.one_hot(torch.randint(0, 4, (3, 60)), 4).float().transpose(1, 2)
    before = pooled(x)
    assert before.shape == (3, 1)
    with torch.no_grad():  # the head reads the normalised mean activations
        pooled.global_norm.bias.add_(1.0)
    assert not torch.allclose(pooled(x), before)


def test_conjoined_model_is_strand_invariant_and_explained_exactly_by_deep_lift_shap():
    """The both-strand pass interleaves the batch, so DeepLIFT's sequence/reference halves stay paired."""
    import warnings

    from sciml.enhancers.attribution import deep_lift_shap

    torch.manual_seed(0)
    model = build_model(MotifCNNConfig(seq_length=60, n_filters=4, conv_channels=4, activation="exp",
                                       global_pool=True, conjoined=True)).eval()
    x = torch.nn.functional.one_hot(torch.randint(0, 4, (6, 60)), 4).float().transpose(1, 2)
    rc = x.flip(1).flip(2)
    torch.testing.assert_close(model(rc), model(x))
    torch.testing.assert_close(model(x), (model.strand_forward(x) + model.strand_forward(rc)) / 2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        attr = deep_lift_shap(model, x.numpy(), n_shuffles=3)
    assert attr.shape == (6, 4, 60)
    assert not [w for w in caught if "Convergence" in str(w.message)]


def test_seed_ensemble_is_the_mean_of_its_members_and_round_trips(tmp_path):
    from sciml.enhancers.models import MotifCNNEnsemble

    config = MotifCNNConfig(seq_length=60, n_filters=4, conv_channels=4, global_pool=True)
    members = []
    for seed in (0, 1):
        torch.manual_seed(seed)
        members.append(build_model(config).eval())
    ensemble = MotifCNNEnsemble(members).eval()
    x = torch.nn.functional.one_hot(torch.randint(0, 4, (3, 60)), 4).float().transpose(1, 2)
    torch.testing.assert_close(ensemble(x), (members[0](x) + members[1](x)) / 2)
    assert ensemble.config == config
    save_motif_cnn(tmp_path / "e", ensemble)
    loaded = sciml.load_model(tmp_path / "e")
    assert isinstance(loaded, MotifCNNEnsemble) and len(loaded.members) == 2
    torch.testing.assert_close(loaded(x), ensemble(x))
    with pytest.raises(ConfigError, match="n_models"):
        MotifCNNEnsemble([members[0], build_model(MotifCNNConfig(seq_length=60, n_filters=8, conv_channels=4))])


@pytest.mark.parametrize("conjoined", [False, True])
@pytest.mark.parametrize("activation", ["exp", "relu"])
def test_strand_shared_attributions_sum_to_the_output_difference(activation, conjoined):
    """DeepLIFT/SHAP of a strand_shared model satisfies summation-to-delta; the hypothetical
    contributions at the observed bases are the attributions, and a reverse-complement-invariant
    model's are reverse-complement symmetric."""
    from sciml.enhancers.attribution import deep_lift_shap

    torch.manual_seed(1)
    model = build_model(MotifCNNConfig(seq_length=60, n_filters=6, conv_channels=4, activation=activation,
                                       strand_shared=True, global_pool=True, conjoined=conjoined))
    with torch.no_grad():  # non-trivial batch-norm statistics and strand winners
        model.conv1.weight.mul_(4.0)
        model.head[-1].weight.mul_(10.0)
        model.train()
        for _ in range(5):
            model(torch.nn.functional.one_hot(torch.randint(0, 4, (32, 60)), 4).float().transpose(1, 2))
    model.eval()
    x = torch.nn.functional.one_hot(torch.randint(0, 4, (5, 60)), 4).float().transpose(1, 2)
    refs = torch.nn.functional.one_hot(torch.randint(0, 4, (5, 3, 60)), 4).float().transpose(2, 3)
    torch.testing.assert_close(model.first_layer(x), model.strand_activations(x).amax(dim=1))
    attr = deep_lift_shap(model, x.numpy(), references=refs.numpy())
    hyp = deep_lift_shap(model, x.numpy(), references=refs.numpy(), hypothetical=True)
    with torch.no_grad():
        delta = (model(x)[:, 0, None] - model(refs.flatten(0, 1)).view(5, 3)).mean(1)
    assert delta.abs().mean() > 0.05  # the check below is not trivially met
    np.testing.assert_allclose(attr.sum(axis=(1, 2)), delta.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose((hyp * x.numpy()).sum(axis=1), attr.sum(axis=1), rtol=1e-4, atol=1e-6)
    if conjoined:
        rc = x.flip(1).flip(2)
        hyp_rc = deep_lift_shap(model, rc.numpy(), references=refs.flip(2).flip(3).numpy(), hypothetical=True)
        np.testing.assert_allclose(hyp_rc, hyp[:, ::-1, ::-1], rtol=1e-3, atol=1e-5)
