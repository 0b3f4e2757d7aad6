"""The local-cluster fixture tells its own leftover configuration from a machine's real SLURM setup."""

from __future__ import annotations

from local_slurm import _leftover_of_a_killed_run, _slurm_conf


def test_own_conf_with_its_state_folder_gone_is_a_leftover(tmp_path):
    conf = tmp_path / "slurm.conf"
    conf.write_text(_slurm_conf(tmp_path / "gone", "host"))
    assert _leftover_of_a_killed_run(conf)
    (tmp_path / "gone" / "state").mkdir(parents=True)
    assert not _leftover_of_a_killed_run(conf)  # its run may still be alive


def test_a_real_slurm_setup_or_no_file_is_not_a_leftover(tmp_path):
    conf = tmp_path / "slurm.conf"
    assert not _leftover_of_a_killed_run(conf)
    conf.write_text("ClusterName=site\nStateSaveLocation=/nonexistent/state\n")
    assert not _leftover_of_a_killed_run(conf)
