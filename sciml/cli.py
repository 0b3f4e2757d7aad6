"""`sciml <domain> <verb>`: one sub-command group per domain, each defined in `sciml/<domain>/cli.py`.

Every domain CLI module exposes `add_commands(subparsers)`; it registers its group and sets
`func(args) -> int` on each verb. Only the domain a command names is imported, so `sciml --help`
and `sciml data ...` start without torch.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from pathlib import Path

from sciml import __version__
from sciml.errors import SciMLError, TrainingInterrupted

DOMAINS = {
    "data": "registered real data sets: list, fetch (mirror or download, sha256-verified), manifest",
    "enhancers": "enhancer motif CNNs, filter PWMs vs JASPAR, motif grammar, attribution",
    "hic": "Hi-C simulation with biases, CNN denoisers, evaluation against ICE/smoothing",
    "ecg": "WFDB records to AAMI heartbeat classes with 1D CNNs, calibration, int8 students",
    "crystals": "periodic crystal graphs, invariant and e3nn-equivariant energy/force models",
    "pinn": "physics-informed networks (Adam then L-BFGS) with exact/reference solutions",
}
PACKAGE_DIR = Path(__file__).resolve().parent
EXIT_INTERRUPTED = 143  # 128 + SIGTERM, what schedulers expect from a terminated job


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The `sciml` argument parser.

    Only the domain named in `argv` is imported (domain packages pull in torch, e3nn, numba, ...):
    the other groups are listed by name so `--help` shows them.

    Args:
        argv: the command-line arguments (default `sys.argv[1:]`); its first word that is not an
            option names the group whose verbs are registered.

    Returns:
        The parser; `parse_args` sets `func(args) -> int` on the namespace of a complete command.
    """
    args = sys.argv[1:] if argv is None else argv
    requested = next((a for a in args if not a.startswith("-")), None)
    parser = argparse.ArgumentParser(prog="sciml", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"sciml {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    groups = parser.add_subparsers(dest="domain", metavar="DOMAIN", required=True)
    for name, summary in DOMAINS.items():
        # A file check, not find_spec: finding `sciml.<name>.cli` would import the package itself.
        available = (PACKAGE_DIR / name / "cli.py").is_file()
        if name == requested and available:
            importlib.import_module(f"sciml.{name}.cli").add_commands(groups)
        elif available:
            groups.add_parser(name, help=summary, add_help=False)
    return parser


def add_run_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup, *, seed: bool = True, threads: bool = True,
                    device: bool = True) -> None:
    """Add the options every compute verb shares: `--seed`, `--threads`, `--device`.

    Args:
        parser: the verb's parser or one of its argument groups.
        seed: add `--seed` (default 0).
        threads: add `--threads` (default 1).
        device: add `--device` (default "auto").
    """
    if seed:
        parser.add_argument("--seed", type=int, default=0, help="random seed (every run is seeded)")
    if threads:
        parser.add_argument("--threads", type=int, default=1, help="CPU threads for torch (and Tomtom)")
    if device:
        parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")


def use_threads(n: int) -> None:
    """Let torch use `n` CPU threads (at least one)."""
    import torch

    torch.set_num_threads(max(1, int(n)))


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `sciml` console script.

    Args:
        argv: the arguments (default `sys.argv[1:]`).

    Returns:
        The exit status: the verb's, 2 for a `SciMLError` (printed as `sciml: error: ...`), 143 when
        training was interrupted by a signal.
    """
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(name)s %(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    if not hasattr(args, "func"):
        parser.parse_args([args.domain, "--help"])
    try:
        return int(args.func(args) or 0)
    except TrainingInterrupted as exc:
        print(f"sciml: interrupted: {exc}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except SciMLError as exc:
        print(f"sciml: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
