"""Importing the supplier list: preview, all-or-nothing, only the good rows, idempotent re-import, bounded queries."""

import pytest
from django.core.exceptions import ValidationError

from imports.models import ImportJob
from suppliers.models import Activity, ActivityKind, Supplier
from tests.factories import SupplierFactory
from tests.imports.helpers import confirm, csv_file, errors_of, preview, supplier_row, xlsx_file

pytestmark = pytest.mark.django_db


def test_preview_lists_what_would_be_created_and_writes_nothing(buyer):
    job = preview(buyer, "suppliers", csv_file("suppliers", [supplier_row(1), supplier_row(2)]))

    assert job.status == ImportJob.Status.PREVIEWED
    assert (job.created_count, job.updated_count, job.skipped_count, job.error_count) == (2, 0, 0, 0)
    assert [row.action for row in job.rows.all()] == ["create", "create"]
    assert [row.number for row in job.rows.all()] == [2, 3]  # as the spreadsheet numbers them
    assert not Supplier.objects.filter(name__startswith="Imported").exists()


def test_confirmed_import_creates_prospects_through_the_service_with_a_timeline_entry(buyer):
    job = confirm(
        preview(buyer, "suppliers", xlsx_file("suppliers", [supplier_row(1, country="China")])), buyer
    )

    assert job.status == ImportJob.Status.DONE
    supplier = Supplier.objects.get(name="Imported Factory 0001")
    assert (supplier.country.code, supplier.stage, supplier.owner) == ("CN", "prospect", buyer)
    assert supplier.timezone == "Asia/Shanghai"  # the service's default from the country
    assert Activity.objects.filter(supplier=supplier, kind=ActivityKind.SUPPLIER_CREATED).exists()


def test_bad_rows_are_explained_in_words_with_row_and_column(buyer):
    rows = [supplier_row(1), supplier_row(2, country="Chna"), supplier_row(3, name=""), supplier_row(4)]
    job = preview(buyer, "suppliers", csv_file("suppliers", rows))

    assert job.error_count == 2
    assert errors_of(job) == [
        "row 3, column country: country 'Chna' is not a country",
        "row 4, column name: a value is required",
    ]


def test_a_file_with_a_bad_row_loads_nothing_unless_the_user_chooses_the_good_rows(buyer):
    rows = [supplier_row(1), supplier_row(2, country="Chna")]
    job = preview(buyer, "suppliers", csv_file("suppliers", rows))

    with pytest.raises(ValidationError, match="1 row"):
        confirm(job, buyer)
    assert not Supplier.objects.filter(name__startswith="Imported").exists()

    job = confirm(job, buyer, only_good_rows=True)
    assert job.status == ImportJob.Status.DONE
    assert list(Supplier.objects.filter(name__startswith="Imported").values_list("name", flat=True)) == [
        "Imported Factory 0001"
    ]


def test_reimporting_the_same_file_changes_nothing(buyer):
    rows = [supplier_row(1), supplier_row(2)]
    confirm(preview(buyer, "suppliers", csv_file("suppliers", rows)), buyer)
    activities = Activity.objects.count()

    again = confirm(preview(buyer, "suppliers", csv_file("suppliers", rows)), buyer)

    assert (again.created_count, again.updated_count, again.skipped_count) == (0, 0, 2)
    assert Supplier.objects.filter(name__startswith="Imported").count() == 2
    assert Activity.objects.count() == activities


def test_a_changed_row_updates_the_supplier_matched_on_registration_number_and_country(buyer):
    existing = SupplierFactory(name="Old Name Ltd", registration_number="REG-1", country="VN", owner=buyer)
    job = confirm(
        preview(
            buyer,
            "suppliers",
            csv_file(
                "suppliers", [{"name": "New Name Ltd", "country": "Vietnam", "registration_number": "REG-1"}]
            ),
        ),
        buyer,
    )

    assert job.updated_count == 1
    existing.refresh_from_db()
    assert existing.name == "New Name Ltd"


def test_two_rows_for_one_supplier_are_both_refused(buyer):
    job = preview(buyer, "suppliers", csv_file("suppliers", [supplier_row(1), supplier_row(1)]))

    assert errors_of(job) == ["row 3: the same record as row 2; a file holds each record once"]


def test_unknown_owner_and_category_are_named(buyer):
    job = preview(
        buyer,
        "suppliers",
        csv_file("suppliers", [supplier_row(1, owner_email="nobody@x.test", categories="Spaceships")]),
    )

    assert errors_of(job) == [
        "row 2, column categories: product category 'Spaceships' not found",
        "row 2, column owner_email: no staff user has the email 'nobody@x.test'",
    ]


def test_queries_per_row_are_bounded(buyer, django_assert_max_num_queries):
    from imports import services

    small = services.import_job_create(
        by=buyer, kind="suppliers", upload=csv_file("suppliers", [supplier_row(n) for n in range(5)])
    )
    large = services.import_job_create(
        by=buyer, kind="suppliers", upload=csv_file("suppliers", [supplier_row(n) for n in range(100, 125)])
    )
    per_row = 14  # the supplier service's own writes and checks, and a savepoint
    with django_assert_max_num_queries(20 + per_row * 5):
        services.import_job_preview(job_id=small.pk)
    with django_assert_max_num_queries(20 + per_row * 25):
        services.import_job_preview(job_id=large.pk)


def test_a_role_without_the_capability_cannot_import_suppliers(quality):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        preview(quality, "suppliers", csv_file("suppliers", [supplier_row(1)]))


def test_a_preview_task_delivered_twice_writes_the_rows_once(buyer):
    from imports import services

    job = services.import_job_create(
        by=buyer, kind="suppliers", upload=csv_file("suppliers", [supplier_row(1)])
    )
    late = ImportJob.objects.get(pk=job.pk)  # a second worker that loaded the job before the first finished
    services.import_job_preview(job_id=job.pk)
    services._finish(
        late, status=ImportJob.Status.PREVIEWED, results={2: ("error", "", ["stale"])}, message=""
    )

    job.refresh_from_db()
    assert (job.status, job.created_count, job.rows.count()) == (ImportJob.Status.PREVIEWED, 1, 1)
    assert job.rows.get().action == "create"
