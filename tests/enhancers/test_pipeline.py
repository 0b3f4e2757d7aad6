"""Pipeline helpers: settings sections turned into library objects."""

from __future__ import annotations

import pytest

from sciml.enhancers.pipeline import loss_config
from sciml.errors import ConfigError


def test_loss_config_defaults_to_plain_bce_and_names_bad_keys():
    assert loss_config(None).weighting == "none"
    loss = loss_config({"weighting": "ema", "ema_decay": 0.9})
    assert (loss.weighting, loss.ema_decay) == ("ema", 0.9)
    with pytest.raises(ConfigError, match="enhancers.synthetic.loss"):
        loss_config({"weighting": "ema", "decay": 0.9})
