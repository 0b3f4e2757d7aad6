import hashlib

import pytest

from sciml.data import REGISTRY, DataSet, fetch, sha256_file
from sciml.data.fetch import MIRROR_ENV
from sciml.errors import ConfigError, InputError


@pytest.fixture
def tiny_dataset(tmp_path, monkeypatch):
    """A registered data set of two small files, with a mirror copy under tmp_path/mirror."""
    mirror = tmp_path / "mirror" / "tiny"
    mirror.mkdir(parents=True)
    files = {}
    for name, text in (("a.txt", "alpha\n"), ("b.txt", "beta\n")):
        (mirror / name).write_text(text)
        files[name] = hashlib.sha256(text.encode()).hexdigest()
    dataset = DataSet(name="tiny", description="test", files=files, url_base=mirror.as_uri() + "/",
                      homepage="", licence="CC0", citation="")
    monkeypatch.setitem(REGISTRY, "tiny", dataset)
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    return tmp_path / "mirror"


def test_fetch_from_mirror_verifies_and_copies(tiny_dataset, tmp_path):
    folder = fetch("tiny", root=tmp_path / "raw", mirror=tiny_dataset)
    assert (folder / "a.txt").read_text() == "alpha\n"
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt", "b.txt"]


def test_mirror_from_environment(tiny_dataset, tmp_path, monkeypatch):
    monkeypatch.setenv(MIRROR_ENV, str(tiny_dataset))
    assert (fetch("tiny", root=tmp_path / "raw") / "b.txt").is_file()


def test_corrupted_mirror_file_is_rejected_and_leaves_nothing(tiny_dataset, tmp_path):
    (tiny_dataset / "tiny" / "b.txt").write_text("tampered\n")
    expected = REGISTRY["tiny"].files["b.txt"]
    actual = hashlib.sha256(b"tampered\n").hexdigest()
    with pytest.raises(InputError) as info:
        fetch("tiny", root=tmp_path / "raw", mirror=tiny_dataset)
    message = str(info.value)
    assert "b.txt" in message and expected in message and actual in message
    leftovers = [p.name for p in (tmp_path / "raw" / "tiny").iterdir()]
    assert leftovers == ["a.txt"], leftovers  # the good file only, no partial/temporary file


def test_missing_mirror_file_names_it(tiny_dataset, tmp_path):
    (tiny_dataset / "tiny" / "a.txt").unlink()
    with pytest.raises(InputError, match="a.txt.*missing from the data mirror"):
        fetch("tiny", root=tmp_path / "raw", mirror=tiny_dataset)


def test_download_path_verifies_too(tiny_dataset, tmp_path):
    # No mirror: the file:// URL base stands in for the upstream server.
    folder = fetch("tiny", root=tmp_path / "raw")
    assert sha256_file(folder / "a.txt") == REGISTRY["tiny"].files["a.txt"]


def test_bad_cached_file_is_replaced(tiny_dataset, tmp_path):
    target = tmp_path / "raw" / "tiny"
    target.mkdir(parents=True)
    (target / "a.txt").write_text("stale\n")
    fetch("tiny", root=tmp_path / "raw", mirror=tiny_dataset)
    assert (target / "a.txt").read_text() == "alpha\n"


def test_unknown_names_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="unknown data set 'nope'"):
        fetch("nope", root=tmp_path)
    with pytest.raises(ConfigError, match="mirror directory"):
        fetch("mitdb", root=tmp_path, mirror=tmp_path / "absent")


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_registry_matches_real_mirror(name, data_mirror, tmp_path):
    """Every registered data set verifies from the real mirror (the five sets in ../shared/data)."""
    dataset = REGISTRY[name]
    sums = dict(line.split()[::-1] for line in (data_mirror / name / "SHA256SUMS").read_text().splitlines())
    assert {k.removeprefix("./"): v for k, v in sums.items()} == dataset.files
    folder = fetch(name, root=tmp_path, mirror=data_mirror)
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == sorted(dataset.files)


def test_download_of_unpinned_files_uses_upstream_list(tiny_dataset, tmp_path, monkeypatch):
    """Pinned files verify against their pinned hash; extra downloadable files against upstream's list."""
    source = tiny_dataset / "tiny"
    (source / "c.txt").write_text("gamma\n")
    listing = source / "SHA256SUMS.txt"
    listing.write_text(f"{hashlib.sha256(b'gamma' + bytes([10])).hexdigest()}  c.txt\n")
    base = REGISTRY["tiny"]
    extended = DataSet(name="tiny", description="test", files=base.files, url_base=base.url_base,
                       homepage="", licence="CC0", citation="", downloadable=("c.txt",),
                       upstream_checksums=listing.as_uri())
    monkeypatch.setitem(REGISTRY, "tiny", extended)
    folder = fetch("tiny", root=tmp_path / "raw", files=["a.txt", "c.txt"])
    assert (folder / "c.txt").read_text() == "gamma\n"
    with pytest.raises(ConfigError, match="no pinned checksum"):
        fetch("tiny", root=tmp_path / "raw2", mirror=tiny_dataset, files=["c.txt"])
