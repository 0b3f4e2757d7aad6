"""`sciml <domain> <verb>`: one sub-command group per domain, each defined in `sciml/<domain>/cli.py`.

Every domain CLI module exposes `add_commands(subparsers)`; it registers its group and sets
`func(args) -> int` on each verb. Heavy imports (torch, ...) happen inside the verbs, so
`sciml --help` and `sciml data list` stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
import sys

from sciml import __version__
from sciml.errors import SciMLError, TrainingInterrupted

DOMAINS = ("data", "enhancers", "hic", "ecg", "crystals", "pinn")
EXIT_INTERRUPTED = 143  # 128 + SIGTERM, what schedulers expect from a terminated job


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every available domain group."""
    parser = argparse.ArgumentParser(prog="sciml", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"sciml {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    groups = parser.add_subparsers(dest="domain", metavar="DOMAIN", required=True)
    for name in DOMAINS:
        if importlib.util.find_spec(f"sciml.{name}") and importlib.util.find_spec(f"sciml.{name}.cli"):
            importlib.import_module(f"sciml.{name}.cli").add_commands(groups)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `sciml` console script; returns the exit status."""
    parser = build_parser()
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
