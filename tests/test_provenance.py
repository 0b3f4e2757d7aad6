import json

from sciml import __version__
from sciml.data import REGISTRY
from sciml.provenance import config_hash, is_timing_key, without_timings, write_metrics


def test_metrics_json_records_provenance(tmp_path):
    path = write_metrics(tmp_path / "metrics.json", {"test": {"auroc": 0.9}}, settings={"lr": 1e-3, "epochs": 2},
                         seed=7, datasets=["pinn-reference"])
    document = json.loads(path.read_text())
    assert document["test"]["auroc"] == 0.9
    prov = document["provenance"]
    assert prov["seed"] == 7 and prov["sciml_version"] == __version__
    assert prov["config_sha256"] == config_hash({"epochs": 2, "lr": 1e-3})
    assert prov["data"]["pinn-reference"] == REGISTRY["pinn-reference"].files


def test_config_hash_is_order_independent_and_sensitive():
    assert config_hash({"a": 1, "b": [1, 2]}) == config_hash({"b": [1, 2], "a": 1})
    assert config_hash({"a": 1}) != config_hash({"a": 2})


def test_timing_keys_are_masked():
    assert is_timing_key("train_seconds") and is_timing_key("inference_atoms_per_s")
    assert is_timing_key("latency_ms_per_beat") and not is_timing_key("energy_mae_mev_per_atom")
    doc = {"burgers": {"rel_l2": 1e-3, "seconds": 12.0}, "teacher": {"latency_ms_per_beat": 2.0, "size_bytes": 5}}
    assert without_timings(doc) == {"burgers": {"rel_l2": 1e-3}, "teacher": {"size_bytes": 5}}


def test_provenance_records_the_git_commit(tmp_path):
    import subprocess
    from pathlib import Path

    import sciml
    from sciml.provenance import git_state

    git_state.cache_clear()  # HEAD may have moved since another test filled the cache
    state = git_state()
    source = Path(sciml.__file__).resolve().parent.parent
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=source, capture_output=True, text=True)
    if head.returncode != 0:
        assert state == {"commit": None, "dirty": None}
        return
    assert state["commit"] == head.stdout.strip() and isinstance(state["dirty"], bool)
    path = write_metrics(tmp_path / "m.json", {}, settings={}, seed=0)
    assert json.loads(path.read_text())["provenance"]["git"] == state
