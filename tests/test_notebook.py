"""notebooks/explore.ipynb runs top to bottom in a fresh kernel of this virtualenv, and says the right things.

The kernel is Jupyter's ``python3`` kernel from this environment's ipykernel (``scripts/setup.sh test``
installs it); nothing is registered outside the test. Two probe cells, added in memory only, check that the
kernel runs this interpreter and hand back a few of the notebook's variables as JSON.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
SAMPLE = ROOT / "sample_reports" / "us-seller"
KERNEL = "python3"
MARK = "@@probe@@"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

ENV_PROBE = f"import json, sys\nprint({MARK!r} + json.dumps({{'prefix': sys.prefix, 'executable': sys.executable}}))"
# The notebook's variables this test reads: `folder`, `late_by_weekday` (the SQL cell), `out` (the outputs cell).
RESULT_PROBE = (f"import json\nprint({MARK!r} + json.dumps({{'folder': str(folder), "
                f"'late_by_weekday': late_by_weekday.to_dict(orient='records'), 'out': str(out)}}, default=str))")


# ------------------------------------------------------------------------------------------ helpers
def _load() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


@contextmanager
def _venv_kernel(tmp: Path) -> Iterator[None]:
    """Make ``python3`` start this interpreter's ipykernel.

    jupyter_client runs a spec whose argv[0] is ``python``/``python3`` with ``sys.executable``; the spec
    ipykernel installs in the venv (or its built-in fallback) is such a spec. Only when a user-level
    ``python3`` spec points at another interpreter is a spec for this one put first on JUPYTER_PATH, for
    this test only. MPLBACKEND is cleared so the kernel uses its inline backend and shows figures.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("MPLBACKEND", raising=False)
        try:
            argv = KernelSpecManager().get_kernel_spec(KERNEL).argv
        except NoSuchKernel:  # pragma: no cover - ipykernel always provides python3
            pytest.fail("no 'python3' Jupyter kernel: install the test extras (bash scripts/setup.sh test)")
        mapped = {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info[:2])}
        if argv[0] not in mapped and Path(argv[0]).resolve() != Path(sys.executable).resolve():
            spec_dir = tmp / "jupyter" / "kernels" / KERNEL
            spec_dir.mkdir(parents=True)
            (spec_dir / "kernel.json").write_text(json.dumps({
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (sellerdx tests)", "language": "python"}), encoding="utf-8")
            mp.setenv("JUPYTER_PATH", os.pathsep.join(filter(None, [str(tmp / "jupyter"),
                                                                     os.environ.get("JUPYTER_PATH")])))
        yield


def _run(nb: nbformat.NotebookNode, cwd: Path, tmp: Path) -> nbformat.NotebookNode:
    with _venv_kernel(tmp):
        client = NotebookClient(nb, kernel_name=KERNEL, timeout=600, allow_errors=False,
                                resources={"metadata": {"path": str(cwd)}})
        try:
            client.execute()
        except CellExecutionError as exc:  # the cell's source and traceback, without terminal colours
            pytest.fail(f"the notebook failed in {cwd.name or cwd}:\n" + ANSI.sub("", str(exc)), pytrace=False)
    return nb


def _probe(cell: nbformat.NotebookNode) -> dict[str, Any]:
    text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    line = next(ln for ln in text.splitlines() if ln.startswith(MARK))
    return json.loads(line[len(MARK):])


def _cell(nb: nbformat.NotebookNode, cell_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.get("id") == cell_id)


def _stdout(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")


def _data(cell: nbformat.NotebookNode, mime: str) -> list[str]:
    return [o.data[mime] for o in cell.outputs
            if o.output_type in ("execute_result", "display_data") and mime in o.data]


# ------------------------------------------------------------------------------------------ stored file
def test_notebook_is_stored_clean() -> None:
    nb = _load()
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == KERNEL
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "the notebook has no code cells"
    dirty = [c.id for c in code if c.outputs or c.execution_count is not None]
    assert not dirty, f"cells stored with outputs or execution counts (clear them before committing): {dirty}"
    assert len({c.id for c in nb.cells}) == len(nb.cells), "cell ids are not unique"


def test_notebook_covers_the_walkthrough() -> None:
    """Load, headline, breakdowns, chart, SQL, findings, POA, writers: the issue's few cells."""
    source = "\n".join(c.source for c in _load().cells if c.cell_type == "code")
    for needle in ('sellerdx.analyze(', 'a.inputs', 'a.metrics', 'a.metric("lsr_10d")',
                   'a.breakdown("lsr_10d", by="weekday")', 'a.breakdown("lsr_10d", by="shipping_service")',
                   'a.daily("lsr_10d")', 'axhline(', 'a.sql(', 'a.findings', 'a.poa()', 'a.to_html(', 'a.to_json('):
        assert needle in source, needle
    assert _cell(_load(), "headline").source.strip() == "a", "the headline cell shows `a` (its _repr_html_)"


# ------------------------------------------------------------------------------------------ execution
@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[nbformat.NotebookNode]:
    """The notebook executed with the notebooks folder as working directory (as Jupyter does)."""
    nb = _load()
    nb.cells.insert(0, new_code_cell(ENV_PROBE, id="probe-env"))
    nb.cells.append(new_code_cell(RESULT_PROBE, id="probe-results"))
    run = _run(nb, NOTEBOOK.parent, tmp_path_factory.mktemp("kernel"))
    yield run
    out = _probe(_cell(run, "probe-results"))["out"]
    if Path(out).name.startswith("sellerdx-"):   # the temporary folder the notebook wrote into
        shutil.rmtree(out, ignore_errors=True)


@pytest.fixture(scope="module")
def planted() -> dict[str, Any]:
    """What the sample generator planted in the US folder (its own record, independent of sellerdx)."""
    return json.loads((SAMPLE / "planted.json").read_text(encoding="utf-8"))


def test_kernel_is_this_virtualenv(executed: nbformat.NotebookNode) -> None:
    env = _probe(_cell(executed, "probe-env"))
    assert Path(env["prefix"]).resolve() == Path(sys.prefix).resolve(), env


def test_sample_folder_found_from_notebooks_dir(executed: nbformat.NotebookNode) -> None:
    assert Path(_probe(_cell(executed, "probe-results"))["folder"]).resolve() == SAMPLE.resolve()


def test_headline_shows_late_shipment_card(executed: nbformat.NotebookNode, planted: dict[str, Any]) -> None:
    from bs4 import BeautifulSoup
    html = _data(_cell(executed, "headline"), "text/html")
    assert html, "`a` displayed no HTML: Analysis._repr_html_ missing or failing"
    assert "<script" not in html[0].lower()
    card = BeautifulSoup(html[0], "html.parser").find(id="metric-lsr_10d")
    assert card is not None, "no late shipment card (id metric-lsr_10d) in the headline"
    text = " ".join(card.get_text(" ").split())
    exp = planted["expected_metrics"]["lsr_10d"]
    assert "Late Shipment Rate" in text
    assert f"{exp['numerator']:,} of {exp['denominator']:,}" in text, text
    assert exp["window"][0] in text and exp["window"][1] in text, text


def test_inputs_table_lists_the_files(executed: nbformat.NotebookNode, planted: dict[str, Any]) -> None:
    html = _data(_cell(executed, "inputs"), "text/html")
    assert html, "a.inputs displayed no HTML table"
    for f in planted["files"]:
        assert Path(f["path"]).name.split(".")[0] in html[0], f["path"]


def test_late_shipment_rate_with_window_and_denominator(executed: nbformat.NotebookNode,
                                                        planted: dict[str, Any]) -> None:
    exp = planted["expected_metrics"]["lsr_10d"]
    start, end = exp["window"]
    text = _stdout(_cell(executed, "lsr"))
    assert f"{exp['numerator']} late of {exp['denominator']} orders purchased {start} to {end}" in text, text
    assert f"{exp['numerator'] / exp['denominator']:.2%}" in text


def test_breakdowns_and_chart(executed: nbformat.NotebookNode) -> None:
    weekday = "".join(_data(_cell(executed, "by-weekday"), "text/plain"))
    assert "Saturday" in weekday and "share" in weekday
    service = "".join(_data(_cell(executed, "by-service"), "text/plain"))
    assert "Expedited" in service or "Standard" in service
    assert _data(_cell(executed, "chart"), "image/png"), "the daily-rate chart produced no image"


def test_custom_sql_finds_the_weekend_backlog(executed: nbformat.NotebookNode, planted: dict[str, Any]) -> None:
    """The SQL cell's per-weekday counts reproduce the generator's planted Friday-to-Sunday backlog."""
    rows = {r["weekday"]: r for r in _probe(_cell(executed, "probe-results"))["late_by_weekday"]}
    problem = next(p for p in planted["problems"] if p["code"] == "late_shipment.weekend_backlog")
    weekend = problem["entities"]["weekdays"]
    counts = problem["counts"]
    assert sum(rows[d]["late"] for d in weekend) == counts["late_weekend_orders"]
    assert sum(rows[d]["orders"] for d in weekend) == counts["weekend_orders"]
    others = [d for d in rows if d not in weekend]
    assert sum(rows[d]["late"] for d in others) == counts["late_weekday_orders"]
    assert sum(rows[d]["orders"] for d in others) == counts["weekday_orders"]
    assert next(iter(rows)) in weekend, "the weekday with the most late orders is a weekend day"


def test_findings_and_poa(executed: nbformat.NotebookNode) -> None:
    findings = "".join(_data(_cell(executed, "findings"), "text/plain"))
    assert "late_shipment." in findings
    assert _stdout(_cell(executed, "late-findings")).strip(), "no late-shipment finding printed"
    poa = _stdout(_cell(executed, "poa"))
    # the plan is organised by cause; the section answering the late shipments carries their category
    sections = poa.split("\n## ")[1:]
    late = [s for s in sections if "<!-- sellerdx:category=late_shipment -->" in s]
    assert late, f"no section of the POA answers the late shipments: {[s.splitlines()[0] for s in sections]}"
    assert "### Root cause" in late[0] and "late shipments" in late[0]


def test_writers_wrote_the_report(executed: nbformat.NotebookNode) -> None:
    out = Path(_probe(_cell(executed, "probe-results"))["out"])
    assert (out / "report.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["schema_version"] == 1


def test_sample_folder_found_from_repo_root(tmp_path: Path) -> None:
    """The load cell also works when the kernel starts in the repository root (nbclient's default cwd)."""
    nb = _load()
    load = _cell(nb, "load")
    nb.cells = [load, new_code_cell(f"print({MARK!r} + str(folder))", id="probe-folder")]
    run = _run(nb, ROOT, tmp_path)
    text = _stdout(run.cells[1])
    assert Path(text.split(MARK, 1)[1].strip()).resolve() == SAMPLE.resolve()
