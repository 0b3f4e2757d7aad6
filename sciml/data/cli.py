"""`sciml data list|fetch|manifest`."""

from __future__ import annotations

import argparse
from pathlib import Path


def _list(args: argparse.Namespace) -> int:
    from sciml.data.registry import REGISTRY

    for ds in REGISTRY.values():
        more = f" (+{len(ds.all_files()) - len(ds.files)} by download)" if ds.downloadable else ""
        print(f"{ds.name}\t{len(ds.files)} files{more}\t{ds.licence}\t{ds.description}")
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from sciml.data.fetch import fetch, get_dataset

    dataset = get_dataset(args.name)
    files = list(dataset.all_files()) if args.all else None
    folder = fetch(args.name, root=args.root, mirror=args.mirror, files=files)
    wanted = files if files is not None else list(dataset.files)
    print(f"{args.name}: {len(wanted)} files verified in {folder}")
    return 0


def _manifest(args: argparse.Namespace) -> int:
    from sciml.data.registry import REGISTRY
    from sciml.files import write_text_atomic

    rows = ["dataset\tfile\tsha256\tlicence\thomepage"]
    for name in args.names or list(REGISTRY):
        ds = REGISTRY[name]
        rows += [f"{name}\t{f}\t{h}\t{ds.licence}\t{ds.homepage}" for f, h in ds.files.items()]
    write_text_atomic(args.out, "\n".join(rows) + "\n")
    return 0


def add_commands(groups: argparse._SubParsersAction) -> None:
    """Register `sciml data ...`."""
    data = groups.add_parser("data", help="registered real data sets")
    verbs = data.add_subparsers(dest="verb", metavar="VERB", required=True)

    listing = verbs.add_parser("list", help="list registered data sets")
    listing.set_defaults(func=_list)

    fetching = verbs.add_parser("fetch", help="fetch and verify a data set (mirror or download)")
    fetching.add_argument("name", help="registered name, see `sciml data list`")
    fetching.add_argument("--root", type=Path, default=Path("data/raw"), help="destination root")
    fetching.add_argument("--mirror", type=Path, default=None,
                          help="offline mirror folder (default: $SCIML_DATA_MIRROR; unset: download)")
    fetching.add_argument("--all", action="store_true",
                          help="every file a download offers (e.g. all 48 MIT-BIH records)")
    fetching.set_defaults(func=_fetch)

    manifest = verbs.add_parser("manifest", help="TSV of data sets, files, sha256 and licences")
    manifest.add_argument("names", nargs="*", help="data sets (default: all)")
    manifest.add_argument("--out", type=Path, required=True)
    manifest.set_defaults(func=_manifest)
