"""Point the flags raised before 0003 at their source rows, read from their period key ("capa-12"), so a flag
about a hidden corrective action is hidden from the factory from the moment this runs."""

from django.db import migrations

# rule: (period prefix, source field, source model)
SOURCES = {
    "unanswered_issue": ("issue-", "issue", ("communications", "SupplierIssue")),
    "price_above_agreed": ("discrepancy-", "discrepancy", ("payments", "InvoiceDiscrepancy")),
    "certification": ("cert-", "certification", ("suppliers", "Certification")),
    "capa_overdue": ("capa-", "corrective_action", ("audits", "CorrectiveAction")),
}


def link_sources(apps, schema_editor):
    RedFlag = apps.get_model("scorecards", "RedFlag")
    for rule, (prefix, field, (app_label, model_name)) in SOURCES.items():
        flags = {
            pk: int(period.removeprefix(prefix))
            for pk, period in RedFlag.objects.filter(
                rule=rule, period__startswith=prefix, **{f"{field}__isnull": True}
            ).values_list("pk", "period")
            if period.removeprefix(prefix).isdigit()
        }
        existing = set(
            apps.get_model(app_label, model_name)
            .objects.filter(pk__in=set(flags.values()))
            .values_list("pk", flat=True)
        )
        changed = [
            RedFlag(pk=pk, **{f"{field}_id": source}) for pk, source in flags.items() if source in existing
        ]
        RedFlag.objects.bulk_update(changed, [field], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0003_redflag_source")]

    operations = [migrations.RunPython(link_sources, migrations.RunPython.noop)]
