"""The acceptance runs of the bundled sample folders and what their planted.json expects (shared by the
acceptance tests). Every expectation comes from planted.json, never from sellerdx's own output."""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_reports"
FOLDERS = ("us-seller", "jp-seller", "de-seller")
PLANTED: dict[str, dict[str, Any]] = {
    name: json.loads((SAMPLES / name / "planted.json").read_text(encoding="utf-8")) for name in FOLDERS}

# Targets of the README's metric table (Amazon's): the planted statuses are computed from these.
TARGETS = {"odr": (0.01, "below"), "pfcr": (0.025, "below"), "lsr": (0.04, "below"), "vtr": (0.95, "above")}
ENTITY_KINDS = ("asins", "skus", "carriers", "weekdays", "shipping_services")
ODR_COMPONENTS = ("negative_feedback", "claims", "chargebacks")


def problem_params() -> list[Any]:
    """One (folder, code) case per planted problem of every sample folder."""
    return [pytest.param(folder, p["code"], id=f"{folder}-{p['code']}")
            for folder in FOLDERS for p in PLANTED[folder]["problems"]]


# --------------------------------------------------------------------------------------- shared run
@dataclass(frozen=True)
class AcceptanceRun:
    """One folder analysed with the library and every output written."""
    folder: str
    analysis: Any
    out: Path
    paths: dict[str, Path]
    planted: dict[str, Any]

    @property
    def summary(self) -> dict[str, Any]:
        return json.loads(self.paths["summary"].read_text(encoding="utf-8"))


@functools.cache
def acceptance_run(folder: str, timezone: str | None = None) -> AcceptanceRun:
    """Analyse ``sample_reports/<folder>`` once per session and write its outputs to a temp folder
    (``timezone``: the --timezone option; None = each marketplace's local time, the default)."""
    import sellerdx
    out = Path(tempfile.mkdtemp(prefix=f"sellerdx-acceptance-{folder}-{timezone or 'local'}-".replace("/", "_")))
    atexit.register(shutil.rmtree, out, True)
    analysis = sellerdx.analyze(SAMPLES / folder, out=str(out), timezone=timezone)
    paths = analysis.write(out)
    return AcceptanceRun(folder, analysis, out, {k: Path(v) for k, v in paths.items()}, PLANTED[folder])


# --------------------------------------------------------------------------------------- planted sets
def planted_file_path(entry: dict[str, Any]) -> str:
    """The path sellerdx reports for a planted file (a zip member is ``archive.zip/member``)."""
    return f"{entry['path']}/{entry['member']}" if entry.get("member") else entry["path"]


def planted_entities(problem: dict[str, Any]) -> dict[str, set[str]]:
    return {k: set(problem["entities"].get(k, [])) for k in ENTITY_KINDS if problem["entities"].get(k)}


def finding_entities(finding: Any) -> dict[str, set[str]]:
    return {k: set(v) for k, v in dict(finding.entities).items() if v}


def counts_removable(planted: dict[str, Any]) -> bool:
    """True when planted.json records removable negative feedback (a key naming it, with a count > 0)."""
    def walk(node: Any) -> bool:
        if isinstance(node, dict):
            return any(("removable" in str(k) and isinstance(v, (int, list)) and bool(v)) or walk(v)
                       for k, v in node.items())
        if isinstance(node, list):
            return any(walk(v) for v in node)
        return False
    return walk(planted)


def allowed_findings(planted: dict[str, Any]) -> dict[str, dict[str, set[str]]]:
    """Every finding code the manifest accounts for -> the entities it may name.

    - each planted problem's code, with exactly its planted entities;
    - each ``related_codes`` entry of a problem (e.g. claims.not_as_described of the broken glass), within
      the problem's entities;
    - ``tracking.invalid`` on the problem's carrier when the problem records missing tracking ids;
    - ``delivery.carrier_delay`` on the problem's carrier when the problem records lost parcels (a tracked
      parcel never delivered is late once its promised date has passed, metrics-spec OTDR);
    - ``feedback.removable`` (any entities) only when planted.json records removable feedback.
    """
    allowed: dict[str, dict[str, set[str]]] = {}
    for problem in planted["problems"]:
        ents = planted_entities(problem)
        allowed[problem["code"]] = ents
        for code in problem.get("related_codes", []):
            allowed.setdefault(code, ents)
        if problem.get("counts", {}).get("missing_tracking", 0) > 0 and ents.get("carriers"):
            allowed.setdefault("tracking.invalid", {"carriers": ents["carriers"]})
        if problem.get("counts", {}).get("lost_parcels", 0) > 0 and ents.get("carriers"):
            allowed.setdefault("delivery.carrier_delay", {"carriers": ents["carriers"]})
    if counts_removable(planted):
        allowed["feedback.removable"] = {}
    return allowed


def planted_metric_family(key: str) -> str:
    return key.split("_")[0]


def expected_status(expected: dict[str, Any], key: str) -> str:
    target, direction = TARGETS[planted_metric_family(key)]
    rate = expected["numerator"] / expected["denominator"]
    meets = rate < target if direction == "below" else rate > target
    return "ok" if meets else "at_risk"
