"""The quality lists' columns (audits, corrective actions, inspections; staff and portal), for their pages and
their CSV/XLSX exports (core/exports.py)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.exports import Column, attr, display


def _planned_performed(audit) -> str:
    text = audit.planned_on.isoformat()
    return f"{text} / {audit.performed_on.isoformat()}" if audit.performed_on else text


def _findings(row) -> str:
    return f"{row.critical} / {row.major} / {row.minor}"


def _defects(inspection) -> str:
    return f"{inspection.critical_defects} / {inspection.major_defects} / {inspection.minor_defects}"


def _capa_source(action) -> str:
    if action.finding_id:
        return gettext("Audit finding")
    if action.inspection_id:
        return f"{gettext('Inspection')} {action.inspection.inspected_on.isoformat()}"
    return ""


AUDIT_COLUMNS = [
    Column(_("Supplier"), attr("supplier.name")),
    Column(_("Type"), display("audit_type")),
    Column(_("Planned / performed"), _planned_performed),
    Column(_("Status"), display("status")),
    Column(_("Score"), attr("score"), "number"),
    Column(_("Result"), display("result")),
    Column(_("Findings (cr/ma/mi)"), _findings),
]

PORTAL_AUDIT_COLUMNS = [
    Column(_("Type"), display("audit_type")),
    Column(_("Date"), lambda audit: audit.performed_on or audit.planned_on, "date"),
    Column(_("Status"), display("status")),
    Column(_("Result"), display("result")),
    Column(_("Findings (cr/ma/mi)"), _findings),
]

CAPA_COLUMNS = [
    Column(_("Title"), attr("title")),
    Column(_("Supplier"), attr("supplier.name")),
    Column(_("From"), _capa_source),
    Column(_("Due"), attr("due_on"), "date"),
    Column(_("Status"), display("status")),
]

PORTAL_CAPA_COLUMNS = [
    Column(_("Title"), attr("title")),
    Column(_("Due"), attr("due_on"), "date"),
    Column(_("Status"), display("status")),
]

INSPECTION_COLUMNS = [
    Column(_("Date"), attr("inspected_on"), "date"),
    Column(_("Supplier"), attr("supplier.name")),
    Column(_("Checkpoint"), display("checkpoint")),
    Column(_("Order"), attr("order.number")),
    Column(_("Lot / sample"), lambda i: f"{i.lot_size} / {i.sample_size} ({i.code_letter})"),
    Column(_("Defects (cr/ma/mi)"), _defects),
    Column(_("Result"), display("result")),
]

PORTAL_INSPECTION_COLUMNS = [
    Column(_("Date"), attr("inspected_on"), "date"),
    Column(_("Checkpoint"), display("checkpoint")),
    Column(_("Order"), attr("order.number")),
    Column(_("Severity"), display("severity")),
    Column(_("Sample"), lambda i: f"{i.sample_size} / {i.lot_size}"),
    Column(_("Defects (cr/ma/mi)"), _defects),
    Column(_("Result"), display("result")),
]
