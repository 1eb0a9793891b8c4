"""Generate docs/api.md, the Python API reference, from the docstrings and the source.

    python scripts/gen_api_docs.py            # rewrite docs/api.md
    python scripts/gen_api_docs.py --check    # exit 1 when docs/api.md is stale (tests/test_api_docs.py)

What it documents: ``sellerdx.analyze``, the ``sellerdx analyze`` flag each keyword mirrors, the public
members of ``Analysis`` (signature, type, docstring), the fields of ``Options`` and ``Inputs``, and the model
dataclasses an analysis hands back (``MetricResult``, ``Finding``, ``FileReport``, ``SkippedFile``,
``RejectedRow``). A field's description is its trailing ``# comment`` in the source. The output depends only
on the source (no addresses, no absolute paths, no Python-version-specific reprs), so it is reproducible.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import functools
import inspect
import io
import sys
import textwrap
import tokenize
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
API_MD = ROOT / "docs" / "api.md"
REGENERATE = "python scripts/gen_api_docs.py"

# Document this checkout's sources even if another sellerdx is installed.
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

import sellerdx  # noqa: E402
from sellerdx import analysis as analysis_mod  # noqa: E402
from sellerdx import model  # noqa: E402

MODEL_CLASSES = ("MetricResult", "Finding", "FileReport", "SkippedFile", "RejectedRow")
# Notebook hooks are documented although their names start with an underscore.
DUNDER_HOOKS = ("_repr_html_",)


# ------------------------------------------------------------------------------------------ source helpers
def _class_source(cls: type) -> tuple[ast.ClassDef, dict[int, str], str]:
    """The class's AST, its trailing comments by (class-relative) line number, and its dedented source."""
    source = textwrap.dedent(inspect.getsource(cls))
    tree = ast.parse(source)
    node = tree.body[0]
    assert isinstance(node, ast.ClassDef), cls
    comments: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("#").strip()
    return node, comments, source


def _field_info(cls: type) -> Iterator[tuple[str, str, str, str]]:
    """(name, annotation as written, default, trailing comment) for every annotated field, in order."""
    node, comments, source = _class_source(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else {}
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name = stmt.target.id
            annotation = ast.get_source_segment(source, stmt.annotation) or ast.unparse(stmt.annotation)
            yield name, annotation, _default_text(fields.get(name)), comments.get(stmt.end_lineno or stmt.lineno, "")


def _default_text(field: dataclasses.Field[Any] | None) -> str:
    if field is None:
        return ""
    if field.default is not dataclasses.MISSING:
        return repr(field.default)
    if field.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        factory = field.default_factory  # type: ignore[misc]
        return f"{getattr(factory, '__name__', 'factory')}()"
    return ""


def _instance_attributes(cls: type) -> list[tuple[str, str, str]]:
    """(name, annotation or '', docstring) of ``self.x = ...`` assignments in ``__init__``, in order."""
    node, _, source = _class_source(cls)
    init = next((s for s in node.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None)
    if init is None:
        return []
    found: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    body = init.body
    for i, stmt in enumerate(body):
        target: ast.expr | None = None
        annotation = ""
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
        elif isinstance(stmt, ast.AnnAssign):
            target = stmt.target
            annotation = ast.get_source_segment(source, stmt.annotation) or ast.unparse(stmt.annotation)
        if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                and target.value.id == "self") or target.attr.startswith("_") or target.attr in seen:
            continue
        doc = ""
        nxt = body[i + 1] if i + 1 < len(body) else None
        if isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant) and isinstance(nxt.value.value, str):
            doc = inspect.cleandoc(nxt.value.value)
        seen.add(target.attr)
        found.append((target.attr, annotation, doc))
    return found


def _raw_annotations(func: Callable[..., Any]) -> dict[str, str]:
    """Annotations exactly as written (the modules use ``from __future__ import annotations``)."""
    return {k: v if isinstance(v, str) else inspect.formatannotation(v)
            for k, v in getattr(func, "__annotations__", {}).items()}


def signature_text(func: Callable[..., Any], name: str, *, drop_self: bool = False, returns: bool = True) -> str:
    """``name(a: int, *, b: str = 'x') -> T`` with annotations as written in the source."""
    sig = inspect.signature(func)
    notes = _raw_annotations(func)
    parts: list[str] = []
    star_done = False
    params = list(sig.parameters.values())
    if drop_self and params and params[0].name == "self":
        params = params[1:]
    for i, p in enumerate(params):
        if p.kind is p.KEYWORD_ONLY and not star_done:
            parts.append("*")
            star_done = True
        if p.kind is p.VAR_POSITIONAL:
            star_done = True
        prefix = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "")
        text = prefix + p.name
        if p.name in notes:
            text += f": {notes[p.name]}"
        if p.default is not p.empty:
            text += f" = {p.default!r}" if p.name in notes else f"={p.default!r}"
        parts.append(text)
        if p.kind is p.POSITIONAL_ONLY and (i + 1 == len(params) or params[i + 1].kind is not p.POSITIONAL_ONLY):
            parts.append("/")
    result = f"{name}({', '.join(parts)})"
    if returns and "return" in notes:
        result += f" -> {notes['return']}"
    return result


def docstring_md(obj: Any) -> str:
    """The cleaned docstring as Markdown: doctest lines become a Python code block."""
    doc = inspect.getdoc(obj) if obj is not None else None
    if not doc:
        return "*(no docstring)*"
    out: list[str] = []
    in_code = False
    for line in doc.splitlines():
        is_code = line.startswith(">>>") or (in_code and line.startswith("..."))
        if is_code and not in_code:
            out.append("```python")
        if not is_code and in_code:
            out.append("```")
        in_code = is_code
        if is_code:
            line = line.split("# doctest:")[0].rstrip()
            line = line[4:] if line.startswith((">>> ", "... ")) else line[3:]
        out.append(line)
    if in_code:
        out.append("```")
    return "\n".join(out)


def _own_docstring(obj: Any) -> str | None:
    """The object's own docstring (``inspect.getdoc`` would inherit one from ``object`` or a base)."""
    return obj.__doc__ if isinstance(getattr(obj, "__doc__", None), str) else None


# ------------------------------------------------------------------------------------------ members
@dataclasses.dataclass(frozen=True)
class Member:
    name: str
    kind: str          # "method", "property", "cached property"
    heading: str       # signature or "name: type"
    doc_source: Any    # object whose docstring documents it (None: none)


def public_members(cls: type) -> list[Member]:
    """Public methods and properties defined on ``cls`` (source order), plus the notebook hooks."""
    members: list[Member] = []
    for name, value in vars(cls).items():
        if name.startswith("_") and name not in DUNDER_HOOKS:
            continue
        if isinstance(value, functools.cached_property):
            ret = _raw_annotations(value.func).get("return", "")
            members.append(Member(name, "cached property", f"{name}: {ret}" if ret else name, value.func))
        elif isinstance(value, property):
            ret = _raw_annotations(value.fget).get("return", "") if value.fget else ""
            members.append(Member(name, "property", f"{name}: {ret}" if ret else name, value.fget))
        elif isinstance(value, (staticmethod, classmethod)):
            func = value.__func__
            members.append(Member(name, type(value).__name__, signature_text(func, name, drop_self=False), func))
        elif inspect.isfunction(value):
            members.append(Member(name, "method", signature_text(value, name, drop_self=True), value))
    return members


def _doc_of(member: Member) -> str:
    return docstring_md(member.doc_source) if _own_docstring(member.doc_source) else "*(no docstring)*"


def _escape_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _fields_table(cls: type) -> list[str]:
    rows = ["| field | type | default | meaning |", "|---|---|---|---|"]
    for name, annotation, default, comment in _field_info(cls):
        rows.append(f"| `{name}` | `{_escape_cell(annotation)}` | "
                    f"{'`' + _escape_cell(default) + '`' if default else '*required*'} | {_escape_cell(comment)} |")
    return rows


def _class_section(cls: type, title: str, *, constructor: bool = True) -> list[str]:
    lines = [f"## `{title}`", ""]
    if constructor:
        lines += ["```python", signature_text(cls.__init__, cls.__name__, drop_self=True, returns=False)
                  if "__init__" in vars(cls) and not dataclasses.is_dataclass(cls) else f"class {cls.__name__}",
                  "```", ""]
    lines += [docstring_md(cls) if _own_docstring(cls) else "*(no docstring)*", ""]
    if dataclasses.is_dataclass(cls):
        frozen = cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
        lines += [f"A {'frozen ' if frozen else ''}dataclass"
                  + (" with `to_dict()` (its JSON form)." if hasattr(cls, "to_dict") else "."), ""]
        lines += _fields_table(cls) + [""]
    attrs = _instance_attributes(cls)
    if attrs:
        lines += ["**Attributes**", ""]
        for name, annotation, doc in attrs:
            lines.append(f"- `{name}`" + (f": `{annotation}`" if annotation else "") + (f" — {doc}" if doc else ""))
        lines.append("")
    members = public_members(cls)
    if members:
        lines += ["**Members**", ""]
        for m in members:
            lines += [f"### `{cls.__name__}.{m.name}`" + (f" *({m.kind})*" if m.kind != "method" else ""), "",
                      "```python", m.heading, "```", "", _doc_of(m), ""]
    return lines


def _cli_flags() -> list[tuple[str, str, str]]:
    """(keyword, flag, default) of every ``sellerdx analyze`` option that has a library twin."""
    import click

    from sellerdx import cli
    ctx = click.Context(cli.analyze)
    keywords = inspect.signature(sellerdx.analyze).parameters
    rows = []
    for p in cli.analyze.get_params(ctx):
        if isinstance(p, click.Option) and p.name in keywords:
            rows.append((p.name, "/".join(p.opts), repr(p.get_default(ctx))))
    return rows


# ------------------------------------------------------------------------------------------ document
def render() -> str:
    """The whole of docs/api.md as a string."""
    lines: list[str] = [
        "# sellerdx Python API",
        "",
        f"<!-- Generated by scripts/gen_api_docs.py from the docstrings and the source; do not edit by hand."
        f" Regenerate: {REGENERATE} -->",
        "",
        "```python",
        "import sellerdx",
        "a = sellerdx.analyze(\"sample_reports/us-seller\")   # nothing is read yet",
        "a                                                 # headline cards in Jupyter",
        "```",
        "",
        "A walk-through: [`notebooks/explore.ipynb`](../notebooks/explore.ipynb).",
        "",
        "## `sellerdx.analyze`",
        "",
        "```python",
        signature_text(sellerdx.analyze, "analyze"),
        "```",
        "",
        docstring_md(sellerdx.analyze),
        "",
        "Each keyword is the `sellerdx analyze` flag of the same name, with the same default "
        "(checked by `tests/test_api_parity.py`):",
        "",
        "| keyword | flag | default |",
        "|---|---|---|",
    ]
    lines += [f"| `{kw}` | `{flag}` | `{default}` |" for kw, flag, default in _cli_flags()]
    lines.append("")
    lines += _class_section(analysis_mod.Analysis, "Analysis")
    lines += _class_section(analysis_mod.Options, "Options", constructor=False)
    lines += _class_section(analysis_mod.Inputs, "Inputs", constructor=False)
    lines += ["# Model dataclasses", "", docstring_md(model), ""]
    for name in MODEL_CLASSES:
        lines += _class_section(getattr(model, name), name, constructor=False)
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/api.md differs from the docstrings")
    parser.add_argument("--out", type=Path, default=API_MD, help="where to write (default: docs/api.md)")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is stale; regenerate it with: {REGENERATE}", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
