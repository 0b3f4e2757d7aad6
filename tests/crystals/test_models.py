import json

import pytest

from sciml.crystals.models import build_potential, load_model
from sciml.errors import ConfigError, InputError


def test_unknown_model_kind_and_bad_settings():
    with pytest.raises(ConfigError, match="unknown model"):
        build_potential("transformer", ["Cu"], [0.0], 1.0, 4.0, 10.0, {})
    with pytest.raises(ConfigError, match="bad network settings"):
        build_potential("invariant", ["Cu"], [0.0], 1.0, 4.0, 10.0, {"depth": 3})


def test_load_model_rejects_foreign_directories(tmp_path):
    with pytest.raises(InputError, match="config.json missing"):
        load_model(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"kind": "invariant"}))
    with pytest.raises(InputError, match="not a crystals model config"):
        load_model(tmp_path)
