"""Griffe extension for the API reference: a docstring's `Shapes:` section renders as a list.

sciml docstrings describe tensor and array shapes in a Google-style section

    Shapes:
        x: (N, 4, L) one-hot.
        output: (N, T) logits.

which griffe shows as an admonition whose lines run together; this turns each entry into a
Markdown list item before the docstring is parsed.
"""

from __future__ import annotations

from typing import Any

from griffe import Extension, Object


def shapes_as_list(text: str) -> str:
    """Prefix each entry of every `Shapes:` block of a docstring with `- `."""
    lines = text.splitlines()
    out: list[str] = []
    block_indent: int | None = None  # indent of the `Shapes:` line while inside its block
    item_indent: int | None = None
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if block_indent is not None and line.strip() and indent <= block_indent:
            block_indent = item_indent = None
        if block_indent is not None and line.strip():
            if item_indent is None:
                item_indent = indent
            if indent == item_indent and not line.lstrip().startswith("- "):
                line = f"{line[:indent]}- {line[indent:]}"
        elif line.strip() == "Shapes:":
            block_indent, item_indent = indent, None
        out.append(line)
    return "\n".join(out)


class ShapesAsList(Extension):
    """Rewrite `Shapes:` sections of every docstring (see `shapes_as_list`)."""

    def on_instance(self, *, obj: Object, **kwargs: Any) -> None:
        if obj.docstring is not None and "Shapes:" in obj.docstring.value:
            obj.docstring.value = shapes_as_list(obj.docstring.value)
