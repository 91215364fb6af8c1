"""The results: the targets judged, the table printed, the JSON written, S and M side by side."""

import json
from pathlib import Path

from bench.common import RESULTS_DIR, Size
from bench.measure import Row

# The targets.
MAX_RAW_RATIO = 3.0
MIN_PDF_RATIO = 0.7


def print_table(size: Size, rows: list[Row], results: dict) -> None:
    header = (
        f"{'measurement':<36} {'app ms':>10} {'ref ms':>10} {'ratio':>7} {'app q':>6} {'ref q':>6}  reference"
    )
    print(
        f"\nForgeline bench — size {size.name}: {results['counts']['suppliers']:,} suppliers, "
        f"{results['counts']['deliveries']:,} deliveries, {results['counts']['inspections']:,} inspections, "
        f"{results['counts']['issues']:,} issues, {results['counts']['invoices']:,} invoices"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        ref = row.reference
        print(
            f"{row.name:<36} {row.app.median_ms:>10.1f} {ref.median_ms if ref else '':>10} "
            f"{row.ratio if row.ratio is not None else '':>7} {row.app.queries:>6} {ref.queries if ref else '':>6}"
            f"  {row.reference_label + ': ' + row.note if ref else row.note}"
        )
    print(
        f"\nPDF: app {results['pdf']['app_pdfs_per_second']} PDFs/s, bare WeasyPrint "
        f"{results['pdf']['weasyprint_pdfs_per_second']} PDFs/s → ratio {results['pdf_vs_weasyprint_ratio']} "
        f"(template {results['pdf']['template']}, {results['ms_pdf']} ms of which template "
        f"{results['pdf']['template_ms']} ms; the context, built once per email, {results['pdf']['context_ms']} ms "
        f"more: ratio {results['pdf'].get('with_context_ratio')} with it)"
    )
    for row in rows:
        if row.app.queries > 50:
            kinds = ", ".join(f"{kind} ×{n}" for kind, n in row.app.query_kinds.items())
            print(f"Queries of '{row.name}': {kinds}")
    print("\nTargets:")
    for name, target in results["targets"].items():
        print(f"  {target['status']:<7} {name}: {target['detail']}")
    checks = results["checks"]
    print(
        "\nChecks: raw SQL gives the app's results — KPIs "
        f"{_yes(checks['kpis_match_raw_sql'])}, snapshots {_yes(checks['snapshots_match_raw_sql'])}, "
        f"stored KPI rows {_yes(checks.get('current_kpis_match_raw_sql', False))}, "
        f"red flags {_yes(checks['flags_match_raw_sql'])}"
    )


def _yes(ok: bool) -> str:
    return "yes" if ok else "NO"


def evaluate_targets(results: dict) -> dict:
    """Judge the issue's targets; the query-count ones compare both sizes' counts taken in this run."""

    def status(ok: bool | None) -> str:
        return "pending" if ok is None else "PASS" if ok else "FAIL"

    by_size = results.get("queries_by_size", {})
    other = next((name for name in by_size if name != results["size"]), None)

    def same(keys: list[str]) -> tuple[bool | None, str]:
        if other is None:
            return None, "build the other size once (make bench SIZE=M / S) to compare query counts"
        mine, theirs = ({key: by_size[name][key] for key in keys} for name in (results["size"], other))

        def shown(counts: dict) -> str:
            return ", ".join(f"{key.removeprefix('page:')} {n}" for key, n in counts.items())

        return mine == theirs, f"{results['size']}: {shown(mine)}; {other}: {shown(theirs)}"

    targets = {}
    for name, ratio_key, queries_key in (
        ("(1) KPI recompute", "kpi_recompute_ratio", "kpi_recompute"),
        ("(2) red-flag scan", "red_flag_scan_ratio", "red_flag_scan"),
    ):
        ratio = results[ratio_key]
        targets[f"{name} ≤ {MAX_RAW_RATIO:g}× raw SQL"] = {
            "status": status(ratio <= MAX_RAW_RATIO),
            "detail": f"{ratio}×",
        }
        constant, detail = same(
            [queries_key] + (["red_flag_rescan"] if queries_key == "red_flag_scan" else [])
        )
        targets[f"{name} queries constant in suppliers"] = {"status": status(constant), "detail": detail}
    constant, detail = same([key for key in by_size.get(results["size"], {}) if key.startswith("page:")])
    targets["(3) page queries identical on S and M"] = {"status": status(constant), "detail": detail}
    ratio = results["pdf_vs_weasyprint_ratio"]
    targets[f"(4) PDFs/s ≥ {MIN_PDF_RATIO:g}× bare WeasyPrint"] = {
        "status": status(ratio >= MIN_PDF_RATIO),
        "detail": f"{ratio}×",
    }
    return targets


def print_comparison() -> None:
    """Print S against M side by side when both result files exist."""
    found = {
        name: json.loads((RESULTS_DIR / f"{name}.json").read_text())
        for name in ("S", "M")
        if (RESULTS_DIR / f"{name}.json").exists()
    }
    if len(found) < 2:
        return
    s, m = found["S"], found["M"]
    if s.get("app_fingerprint") != m.get("app_fingerprint"):
        print(
            "\nS and M were measured on different versions of the app's code: run both again to compare them."
        )
    print(f"\nS against M{'':<27} {'S ms':>10} {'M ms':>10} {'S q':>6} {'M q':>6}")
    for key, label in (
        ("kpi_recompute", "KPIs + snapshots"),
        ("kpi_compute", "KPIs (all_kpis)"),
        ("red_flag_scan", "Red-flag scan, every flag new"),
        ("red_flag_scan_unqueued", "  same, email task not queued"),
        ("red_flag_rescan", "Red-flag scan, nothing new"),
        *((f"page:{page}", page) for page in s["page_queries"]),
    ):
        if key.startswith("page:"):
            page = key.removeprefix("page:")
            values = (
                s["page_ms"].get(page),
                m["page_ms"].get(page),
                s["page_queries"].get(page),
                m["page_queries"].get(page),
            )
        else:
            values = (s["ms"].get(key), m["ms"].get(key), s["queries"].get(key), m["queries"].get(key))
        values = ["—" if value is None else value for value in values]
        print(f"{label:<38} {values[0]:>10} {values[1]:>10} {values[2]:>6} {values[3]:>6}")


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(data, indent=2, default=str) + "\n")
    temporary.replace(path)
