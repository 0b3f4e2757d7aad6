"""Fetch a registered data set from the offline mirror or its upstream home, verifying sha256."""

from __future__ import annotations

import hashlib
import os
import shutil
import urllib.error
import urllib.request
from pathlib import Path

from tqdm.auto import tqdm

from sciml.data.registry import REGISTRY, DataSet
from sciml.errors import ConfigError, InputError
from sciml.files import atomic_path

MIRROR_ENV = "SCIML_DATA_MIRROR"
DEFAULT_ROOT = Path("data/raw")
_CHUNK = 1 << 20


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks.

    Args:
        path: the file.

    Returns:
        The 64-character hex digest.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def get_dataset(name: str) -> DataSet:
    """Registry entry of `name`.

    Raises:
        ConfigError: no data set of that name (the message lists the known names).
    """
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise ConfigError("data.name", f"unknown data set '{name}' (known: {known})") from None


def resolve_mirror(mirror: str | os.PathLike[str] | None) -> Path | None:
    """The mirror directory to use: the argument, else `$SCIML_DATA_MIRROR`, else None (download)."""
    chosen = mirror if mirror is not None else os.environ.get(MIRROR_ENV) or None
    if chosen is None:
        return None
    path = Path(chosen).expanduser()
    if not path.is_dir():
        raise ConfigError("data.mirror", f"mirror directory '{path}' does not exist")
    return path


def _parse_checksum_list(text: str, source: str) -> dict[str, str]:
    """Parse `sha256  file` lines (sha256sum format) into file -> hash."""
    sums: dict[str, str] = {}
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 64:
            raise InputError(source, f"not a 'sha256  file' line: {line!r}", record=f"line {line_no}")
        sums[parts[1].lstrip("*").removeprefix("./")] = parts[0].lower()
    return sums


def _download(url: str, dest: Path) -> None:
    """Stream `url` into `dest` with a progress bar (silent when not on a terminal)."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(dest, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0) or None
            with tqdm(total=total, unit="B", unit_scale=True, desc=dest.name, disable=None, leave=False) as bar:
                for chunk in iter(lambda: response.read(_CHUNK), b""):
                    out.write(chunk)
                    bar.update(len(chunk))
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise InputError(url, f"download failed: {exc}") from exc


def _expected_hashes(dataset: DataSet, mirror: Path | None, files: list[str]) -> dict[str, str]:
    """Hash each file must have: the pinned one, else (downloads only) the upstream's published list."""
    unpinned = [f for f in files if f not in dataset.files]
    if unpinned and (mirror is not None or dataset.upstream_checksums is None):
        where = f"mirror {mirror}" if mirror is not None else "download"
        raise ConfigError("data.files", f"{dataset.name}: no pinned checksum for {unpinned} ({where})")
    expected = {f: dataset.files[f] for f in files if f in dataset.files}
    if unpinned:
        assert dataset.upstream_checksums is not None
        with urllib.request.urlopen(dataset.upstream_checksums, timeout=60) as response:
            upstream = _parse_checksum_list(response.read().decode(), dataset.upstream_checksums)
        missing = [f for f in unpinned if f not in upstream]
        if missing:
            raise InputError(dataset.upstream_checksums, f"no checksum listed for {missing}")
        expected.update({f: upstream[f] for f in unpinned})
    return expected


def fetch(
    name: str,
    root: str | os.PathLike[str] = DEFAULT_ROOT,
    mirror: str | os.PathLike[str] | None = None,
    files: list[str] | None = None,
) -> Path:
    """Make the files of data set `name` available under `root/name/`, verified by sha256.

    Files already present with the right hash are kept. Others are copied from
    `<mirror>/<name>/<file>` (mirror = argument or `$SCIML_DATA_MIRROR`) or downloaded from the
    upstream URL, verified, and renamed into place only when the hash matches, so a failed or
    corrupted fetch leaves nothing behind.

    Args:
        name: registry name, e.g. "mitdb".
        root: folder that receives `name/`.
        mirror: offline mirror folder; None uses `$SCIML_DATA_MIRROR`, and downloads when unset.
        files: subset of file names; default: the pinned files (for data sets whose download
            offers more, e.g. all 48 MIT-BIH records, pass them or use `dataset.all_files()`).

    Returns:
        The folder `root/name`.

    Raises:
        InputError: a file is missing from the mirror, a download fails, or a hash does not match
            (the message names the file, the expected and the actual hash).
        ConfigError: `files` names a file the data set does not have.

    Examples:
        >>> folder = fetch("mitdb", root="data/raw")  # doctest: +SKIP
        >>> sorted(p.name for p in folder.iterdir())[:3]  # doctest: +SKIP
        ['100.atr', '100.dat', '100.hea']
    """
    dataset = get_dataset(name)
    mirror_dir = resolve_mirror(mirror)
    wanted = list(files) if files is not None else list(dataset.files)
    unknown = [f for f in wanted if f not in dataset.all_files()]
    if unknown:
        raise ConfigError("data.files", f"{name} has no files {unknown}")
    expected = _expected_hashes(dataset, mirror_dir, wanted)
    target_dir = Path(root) / name
    target_dir.mkdir(parents=True, exist_ok=True)
    for file in tqdm(wanted, desc=f"fetch {name}", unit="file", disable=None, leave=False):
        target = target_dir / file
        if target.is_file() and sha256_file(target) == expected[file]:
            continue
        source = (mirror_dir / name / file) if mirror_dir is not None else dataset.url(file)
        if mirror_dir is not None and not Path(source).is_file():
            raise InputError(source, f"file missing from the data mirror (data set {name})")
        with atomic_path(target) as staged:
            if mirror_dir is not None:
                shutil.copyfile(source, staged)
            else:
                _download(str(source), staged)
            actual = sha256_file(staged)
            if actual != expected[file]:
                raise InputError(
                    source, f"sha256 mismatch for {file}: expected {expected[file]}, got {actual}"
                )
    return target_dir
