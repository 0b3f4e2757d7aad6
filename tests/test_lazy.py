"""Lazy package exports: names import on first use, and reading a domain's settings does not load torch."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

from sciml.lazy import lazy_exports
from sciml.settings import DOMAINS


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A package `lazypkg` with a module `.tools` (defining `answer`) and lazy exports of it and of `json.dumps`."""
    root = tmp_path / "lazypkg"
    root.mkdir()
    (root / "__init__.py").write_text(
        "from sciml.lazy import lazy_exports\n"
        "_EXPORTS = {'answer': '.tools', 'dumps': 'json'}\n"
        "__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)\n")
    (root / "tools.py").write_text("answer = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "lazypkg", raising=False)
    monkeypatch.delitem(sys.modules, "lazypkg.tools", raising=False)
    import lazypkg

    yield lazypkg
    sys.modules.pop("lazypkg", None)
    sys.modules.pop("lazypkg.tools", None)


def test_a_relative_export_is_imported_on_first_use_and_cached(package):
    assert "lazypkg.tools" not in sys.modules
    assert package.answer == 42
    assert "lazypkg.tools" in sys.modules
    assert vars(package)["answer"] == 42


def test_an_absolute_export_and_dir(package):
    import json

    assert package.dumps is json.dumps
    assert {"answer", "dumps"} <= set(dir(package))


def test_an_unknown_name_raises_attribute_error_naming_the_package():
    getattr_, _ = lazy_exports("somepkg", {"known": ".mod"})
    with pytest.raises(AttributeError, match="'somepkg' has no attribute 'unknown'"):
        getattr_("unknown")


def test_every_domain_exports_resolve():
    for domain in DOMAINS:
        module = __import__(f"sciml.{domain}", fromlist=["__all__"])
        assert isinstance(module, types.ModuleType)
        for name in module.__all__:
            assert getattr(module, name) is not None, f"sciml.{domain}.{name}"


def test_reading_the_domain_settings_does_not_load_torch():
    """The workflow validates its config through `sciml.<domain>.settings` at every start."""
    code = ("import sys; from sciml.settings import DOMAINS, workflow_settings_class\n"
            "[workflow_settings_class(d) for d in DOMAINS]\n"
            "print(sorted(m for m in ('torch', 'e3nn', 'sklearn') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[]"
