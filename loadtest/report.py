"""The figures of a run: per request type from locust's statistics, the journal of acknowledged
writes, the checks; rendered as markdown (printed and written beside the raw JSON)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

SAVE = "PUT answer save"
SAVE_P95_TARGET_MS = 300


def locust_stats(path: Path) -> list[dict]:
    """One row per request type and the aggregate: count, failures, req/s, p50/p95/p99, max.
    (locust rounds response times above 100 ms to two significant figures.)"""
    if not path.exists():
        return []
    rows = []
    with path.open() as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "name": row["Name"] if row["Name"] != "Aggregated" else "All requests",
                    "method": row["Type"],
                    "count": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": float(row["Requests/s"]),
                    "p50": _ms(row["50%"]),
                    "p95": _ms(row["95%"]),
                    "p99": _ms(row["99%"]),
                    "max": _ms(row["Max Response Time"]),
                }
            )
    return rows


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else round(float(value), 1)


def journal_summary(entries: list[dict], events: dict) -> dict:
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry["kind"]] = counts.get(entry["kind"], 0) + 1
    failures = [e for e in entries if e["kind"] == "failure"]
    outside = failures
    if "killed_at" in events:
        start, end = events["killed_at"] - 1, events.get("ready_at", events["killed_at"]) + 5
        outside = [f for f in failures if not start <= f["at"] <= end]
    return {
        "counts": counts,
        "failures_outside_outage": len(outside),
        "failure_samples": [f"{f['name']}: {f['status']} {f['error']}" for f in outside[:5]],
    }


def _cpu(phase: dict, total: dict | None) -> str:
    cpu = phase.get("cpu_seconds") or {}
    text = "CPU time used: " + ", ".join(f"{name} {seconds} s" for name, seconds in cpu.items())
    if total and total["count"] and "server" in cpu and not phase["fault"]:
        text += f" (server: {cpu['server'] * 1000 / total['count']:.1f} ms of CPU per request)"
    return text + "."


def _cell(value) -> str:
    return "-" if value is None else f"{value:g}"


def render(phases: list[dict], dataset: dict, *, command: str) -> tuple[str, bool]:
    """(markdown, whether every target was met)."""
    national = dataset["done"].get("national", {})
    people = dataset["done"].get("people", {})
    evidence = dataset["done"].get("evidence", {}).get("evidence")
    lines = [
        "# Load and fault test",
        "",
        f"Command: `{command}` (`make loadtest`).",
        "",
        f"Machine: one small machine, {os.cpu_count()} cores shared by the server, PostgreSQL, "
        "the load generator (locust) and the worker (and, here, other jobs).",
        f"Dataset: {national.get('institutions')} institutions, {national.get('units')} units, "
        f"{national.get('answers')} answers, {evidence} evidence items, "
        f"{national.get('audit_events')} background audit events; "
        f"{people.get('users_with_tokens')} users with tokens in "
        f"{people.get('hot_institutions')} institutions.",
        "",
    ]
    passed = True
    for phase in phases:
        requests = phase["requests"]
        total = next((r for r in requests if r["name"] == "All requests"), None)
        save = next((r for r in requests if r["name"] == SAVE), None)
        writes, storage, audit = phase["writes"], phase["storage"], phase["audit"]
        journal = phase["journal"]
        lines += [
            f"## Phase: {phase['phase']}",
            "",
            f"{phase['users']} users, {phase['duration_s']} s; load average (1 min) "
            f"mean {phase['load_average']['mean']}, max {phase['load_average']['max']} "
            f"on {os.cpu_count()} cores.",
            _cpu(phase, total),
        ]
        if phase["fault"]:
            fault = phase["fault"]
            lines.append(
                f"Server and worker killed with SIGKILL at {fault.get('killed_at')} s, "
                f"restarted at {fault.get('restarted_at')} s, ready at {fault.get('ready_at')} s."
            )
        lines += [
            "",
            "| Request | Count | Failures | req/s | p50 ms | p95 ms | p99 ms | max ms |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in requests:
            name = f"**{r['name']}**" if r["name"] == "All requests" else r["name"]
            lines.append(
                f"| {name} | {r['count']} | {r['failures']} | {r['rps']:.2f} | {_cell(r['p50'])} "
                f"| {_cell(r['p95'])} | {_cell(r['p99'])} | {_cell(r['max'])} |"
            )
        counts = journal["counts"]
        lines += [
            "",
            f"Acknowledged writes: {counts.get('save', 0)} saves, {counts.get('submit', 0)} "
            f"submits, {counts.get('verify', 0)} verifications, {counts.get('upload', 0)} uploads; "
            f"{counts.get('conflict', 0)} conflicts (409: someone saved first; read again and "
            "retried, as a person would).",
            f"Checked afterwards: {writes['checked']} - lost or different: "
            f"{len(writes['problems'])}.",
            f"Storage: {storage['stored_file_rows']} StoredFile rows all complete with matching "
            f"SHA-256: {'yes' if not storage['problems'] else 'NO'}; {storage['blobs']} blobs, "
            f"{storage['blobs_without_row']} without a row (complete, unreachable; "
            f"`monev evidence gc`); {storage['temp_dir_leftovers']} leftover temporary upload "
            f"files ({storage['temp_dir_leftover_bytes']} bytes) in the temp dir.",
            f"Audit chain: `{audit['command']}` exit {audit['exit_status']}: {audit['output']}",
            f"Background jobs (text extraction) after `monev worker --batch`: "
            f"{phase['jobs']['statuses']}; files still waiting for their text: "
            f"{phase['jobs']['files_pending_text']}"
            f" (jobs stuck from earlier runs: {phase['jobs'].get('stuck_from_earlier_runs', 0)}).",
        ]
        failures = total["failures"] if total else 0
        if phase["fault"]:
            lines.append(
                f"Failed requests: {failures}, of which {journal['failures_outside_outage']} "
                "outside the outage window (the others are requests the dead server never "
                "answered; none was acknowledged, each write was retried)."
            )
            errors = journal["failures_outside_outage"]
        else:
            lines.append(f"Failed requests: {failures}.")
            errors = failures
        for sample in journal["failure_samples"]:
            lines.append(f"- {sample}")
        problems = (
            writes["problems"] + storage["problems"] + audit["problems"] + phase["jobs"]["problems"]
        )
        for problem in problems[:20]:
            lines.append(f"- PROBLEM: {problem}")
        save_p95 = save["p95"] if save else None
        targets = {
            "zero errors": errors == 0,
            "zero lost writes": not writes["problems"],
            "no half-written file": not storage["problems"],
            "audit chain verifies": not audit["problems"],
            "no background job lost": not phase["jobs"]["problems"],
        }
        if not phase["fault"]:
            targets[f"p95 of saves under {SAVE_P95_TARGET_MS} ms"] = (
                save_p95 is not None and save_p95 < SAVE_P95_TARGET_MS
            )
        lines += [
            "",
            "Targets: "
            + "; ".join(f"{name}: {'met' if ok else 'NOT MET'}" for name, ok in targets.items())
            + ".",
            "",
        ]
        passed = passed and all(targets.values())
    return "\n".join(lines), passed
