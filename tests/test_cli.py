import subprocess
import sys

from sciml.cli import main


def test_data_list_names_every_registered_set(capsys):
    assert main(["data", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("mitdb", "iEnhancer-2L", "koo-irf1-chipseq", "hic-yeast-10kb", "pinn-reference"):
        assert name in out


def test_errors_exit_2_with_message(capsys, tmp_path):
    assert main(["data", "fetch", "nope", "--root", str(tmp_path)]) == 2
    assert "unknown data set 'nope'" in capsys.readouterr().err


def test_console_script_runs(data_mirror, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "sciml", "data", "fetch", "pinn-reference", "--root", str(tmp_path),
         "--mirror", str(data_mirror)],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "pinn-reference" / "burgers_shock.mat").is_file()


def test_data_commands_do_not_import_domain_packages():
    code = ("import sys; from sciml.cli import main; main(['data', 'list']); "
            "print(sorted(m for m in ('torch', 'sciml.crystals', 'sciml.ecg') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
