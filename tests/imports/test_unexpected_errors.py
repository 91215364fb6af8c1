"""A fault of ours during an import (a bug, not a bad row) ends the job with a message and keeps nothing it should
not: the job never stays "checking" or "importing" for ever, and a database outage is left to the task's retry."""

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.db import OperationalError

from imports import services
from imports.models import ImportJob, ImportRow
from imports.resources.orders import OrderResource
from imports.resources.suppliers import SupplierResource
from imports.tasks import import_run_task
from orders.models import PurchaseOrder
from suppliers.models import Stage, Supplier
from tests.factories import SupplierFactory
from tests.imports.helpers import confirm, csv_file, errors_of, preview, supplier_row

pytestmark = pytest.mark.django_db


def broken(*_args, **_kwargs):
    raise RuntimeError("a bug of ours")


def test_a_check_that_breaks_outside_the_rows_ends_failed_with_a_message(buyer, monkeypatch, caplog):
    monkeypatch.setattr(SupplierResource, "prepare", broken)
    job = preview(buyer, "suppliers", csv_file("suppliers", [supplier_row(1)]))
    assert job.status == ImportJob.Status.FAILED
    assert job.message.startswith("The file could not be checked: the check stopped on an unexpected error")
    assert job.finished_at is not None and not job.rows.exists()
    assert "a bug of ours" in caplog.text  # logged in full for us, not shown to the user


def test_an_import_whose_final_step_breaks_keeps_nothing_and_ends_failed(buyer, monkeypatch):
    approved = SupplierFactory(name="Gamma Metal Works", owner=buyer, stage=Stage.APPROVED)
    row = {
        "po_number": "PO-1",
        "supplier": approved.name,
        "ordered_on": "2026-11-20",
        "sku": "SKU-0",
        "description": "Item",
        "quantity": "100",
        "unit_price": "1.25",
        "required_on": "2027-02-01",
    }
    job = preview(buyer, "orders", csv_file("orders", [row]))
    assert job.status == ImportJob.Status.PREVIEWED and job.can_confirm
    monkeypatch.setattr(OrderResource, "finish", broken)  # telling the factories, once every order is in
    job = confirm(job, buyer)
    assert job.status == ImportJob.Status.FAILED
    assert job.message.startswith("Nothing was imported: the import stopped on an unexpected error")
    assert not PurchaseOrder.objects.filter(number="PO-1").exists()


def test_a_row_that_breaks_is_an_error_on_that_row_and_the_good_rows_still_load(buyer, monkeypatch):
    job = preview(buyer, "suppliers", csv_file("suppliers", [supplier_row(n) for n in (1, 2, 3)]))
    original = SupplierResource.apply

    def apply(self, unit):
        if unit[0].number == 3:  # the file's second data row
            raise RuntimeError("a bug of ours")
        return original(self, unit)

    monkeypatch.setattr(SupplierResource, "apply", apply)
    job = confirm(job, buyer, only_good_rows=True)
    assert job.status == ImportJob.Status.DONE and (job.created_count, job.error_count) == (2, 1)
    assert errors_of(job) == ["could not be saved because of an unexpected error on our side (logged)"]
    assert Supplier.objects.filter(name__startswith="Imported Factory").count() == 2


def test_the_database_going_away_is_left_to_the_tasks_retry(buyer, monkeypatch):
    job = preview(buyer, "suppliers", csv_file("suppliers", [supplier_row(1)]))

    def gone(self, unit):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SupplierResource, "apply", gone)
    with pytest.raises(OperationalError):
        confirm(job, buyer)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTING  # the retry finds it running and starts it again


def fails_once(monkeypatch, target, name):
    """Make target.name raise once (a fault of ours while the results are written), then work again."""
    original = getattr(target, name)
    calls = []

    def once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a bug of ours")
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, once)


@pytest.mark.parametrize("only_good_rows", [True, False])
def test_a_fault_while_writing_the_results_says_which_rows_were_imported(buyer, monkeypatch, only_good_rows):
    job = preview(buyer, "suppliers", csv_file("suppliers", [supplier_row(n) for n in (1, 2)]))
    fails_once(monkeypatch, ImportRow.objects, "bulk_create")  # the import's results, once its rows are in
    job = confirm(job, buyer, only_good_rows=only_good_rows)
    assert job.status == ImportJob.Status.FAILED
    assert job.message.startswith("The import stopped on an unexpected error on our side")
    assert Supplier.objects.filter(name__startswith="Imported Factory").count() == 2  # committed before
    assert sorted(job.rows.values_list("number", "action")) == [(2, "create"), (3, "create")]


def test_a_row_past_the_time_limit_ends_the_run_with_the_rows_it_imported(buyer, monkeypatch):
    job = preview(buyer, "suppliers", csv_file("suppliers", [supplier_row(n) for n in (1, 2, 3)]))
    original = SupplierResource.apply

    def apply(self, unit):
        if unit[0].number == 3:
            raise SoftTimeLimitExceeded()
        return original(self, unit)

    monkeypatch.setattr(SupplierResource, "apply", apply)
    job = confirm(job, buyer, only_good_rows=True)
    assert job.status == ImportJob.Status.FAILED and job.created_count == 1
    assert list(job.rows.values_list("number", "action")) == [(2, "create")]


def test_a_whole_file_import_with_a_row_that_broke_blames_us_not_the_data(buyer, monkeypatch):
    job = preview(buyer, "suppliers", csv_file("suppliers", [supplier_row(n) for n in (1, 2)]))
    monkeypatch.setattr(SupplierResource, "apply", broken)
    job = confirm(job, buyer)
    assert job.status == ImportJob.Status.FAILED
    assert job.message.startswith(
        "Nothing was imported: 2 row(s) could not be saved, at least one because of"
    )
    assert not Supplier.objects.filter(name__startswith="Imported Factory").exists()


def test_the_progress_bar_failing_does_not_stop_an_import(buyer, monkeypatch):
    job = preview(buyer, "suppliers", csv_file("suppliers", [supplier_row(1)]))
    monkeypatch.setattr(cache, "set", broken)
    assert confirm(job, buyer).status == ImportJob.Status.DONE


def test_a_job_the_database_kept_failing_ends_once_the_retries_run_out(buyer, monkeypatch):
    job = preview(buyer, "suppliers", csv_file("suppliers", [supplier_row(1)]))
    services.import_job_confirm(job=job, by=buyer)

    def gone(self, unit):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SupplierResource, "apply", gone)
    monkeypatch.setattr(import_run_task, "max_retries", 0)
    with pytest.raises(OperationalError):
        import_run_task.apply(args=[job.pk], throw=True)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.message == "Nothing was imported: the database was unavailable. Upload the file again later."
