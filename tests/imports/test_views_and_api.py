"""The import pages (upload, preview with progress, confirm, templates), the API and manage.py import_data."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from imports.models import ImportJob
from imports.resources import RESOURCES
from suppliers.models import Supplier
from tests.imports.helpers import csv_file, supplier_row

pytestmark = pytest.mark.django_db


def test_a_buyer_uploads_two_bad_rows_fixes_them_and_imports(
    buyer_client, django_capture_on_commit_callbacks
):
    rows = [supplier_row(1), supplier_row(2, country="Chna"), supplier_row(3, name=""), supplier_row(4)]
    with django_capture_on_commit_callbacks(execute=True):
        response = buyer_client.post(
            reverse("imports:list"), {"kind": "suppliers", "file": csv_file("suppliers", rows)}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()

    page = buyer_client.get(job.get_absolute_url()).content.decode()
    assert "country &#x27;Chna&#x27; is not a country" in page
    assert "2 rows have errors" in page
    with django_capture_on_commit_callbacks(execute=True):
        buyer_client.post(reverse("imports:confirm", args=[job.pk]))
    assert not Supplier.objects.exists()  # all or nothing

    rows[1]["country"], rows[2]["name"] = "China", "Imported Factory 0003"
    with django_capture_on_commit_callbacks(execute=True):
        buyer_client.post(reverse("imports:list"), {"kind": "suppliers", "file": csv_file("suppliers", rows)})
    fixed = ImportJob.objects.order_by("-pk").first()
    assert "Every row is good" in buyer_client.get(fixed.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        buyer_client.post(reverse("imports:confirm", args=[fixed.pk]))
    assert Supplier.objects.count() == 4
    page = buyer_client.get(fixed.get_absolute_url()).content.decode().replace("\n", "")
    assert '4</div><div class="small">created' in page


def test_a_refused_file_shows_the_reason_on_the_form(buyer_client):
    response = buyer_client.post(
        reverse("imports:list"),
        {"kind": "suppliers", "file": csv_file("suppliers", [supplier_row(1)], header=["nom", "pays"])},
    )
    assert response.status_code == 400
    assert "does not match the template" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_progress_polls_while_running_and_reloads_the_page_when_done(buyer_client, buyer):
    from imports import services

    job = services.import_job_create(
        by=buyer, kind="suppliers", upload=csv_file("suppliers", [supplier_row(1)])
    )
    running = buyer_client.get(reverse("imports:progress", args=[job.pk]))
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "<progress" in running.content.decode()
    services.import_job_preview(job_id=job.pk)
    done = buyer_client.get(reverse("imports:progress", args=[job.pk]))
    assert done["HX-Refresh"] == "true"


@pytest.mark.parametrize("kind", sorted(RESOURCES))
def test_each_template_has_the_header_and_an_example_line(buyer_client, kind):
    xlsx = buyer_client.get(reverse("imports:template", args=[kind, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).worksheets[0]
    header, example = list(sheet.iter_rows(values_only=True))[:2]
    assert list(header) == RESOURCES[kind].column_names()
    assert any(example)
    csv_text = buyer_client.get(reverse("imports:template", args=[kind, "csv"])).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == ",".join(RESOURCES[kind].column_names())


def test_the_supplier_template_imports_as_it_is(buyer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports.selectors import import_template
    from tests.imports.helpers import preview

    content = import_template(kind="suppliers", file_kind="xlsx")
    job = preview(buyer, "suppliers", SimpleUploadedFile("t.xlsx", content))
    assert (job.created_count, job.error_count) == (1, 0)


def test_a_factory_contact_sees_no_import(client, portal_a, buyer):
    from imports import services

    services.import_job_create(by=buyer, kind="suppliers", upload=csv_file("suppliers", [supplier_row(1)]))
    client.force_login(portal_a)
    assert client.get(reverse("api:import-job-list")).json()["count"] == 0
    response = client.post(
        reverse("api:import-job-list"), {"kind": "suppliers", "file": csv_file("suppliers", [])}
    )
    assert response.status_code == 403


def test_the_api_uploads_previews_and_confirms(client, buyer, django_capture_on_commit_callbacks):
    client.force_login(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            reverse("api:import-job-list"),
            {
                "kind": "suppliers",
                "file": csv_file("suppliers", [supplier_row(1), supplier_row(2, country="Chna")]),
            },
        )
    assert created.status_code == 201
    job_id = created.json()["id"]
    job = client.get(reverse("api:import-job-detail", args=[job_id])).json()
    assert (job["status"], job["created_count"], job["error_count"]) == ("previewed", 1, 1)
    rows = client.get(reverse("api:import-job-rows", args=[job_id]) + "?errors=1").json()["results"]
    assert rows == [
        {
            "number": 3,
            "action": "error",
            "label": "",
            "errors": ["row 3, column country: country 'Chna' is not a country"],
        }
    ]
    refused = client.post(
        reverse("api:import-job-confirm", args=[job_id]), {}, content_type="application/json"
    )
    assert refused.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("api:import-job-confirm", args=[job_id]),
            {"only_good_rows": True},
            content_type="application/json",
        )
    assert done.status_code == 200
    assert client.get(reverse("api:import-job-detail", args=[job_id])).json()["status"] == "done"
    assert Supplier.objects.count() == 1


def test_the_api_refuses_a_bad_file_with_its_reason(client, buyer):
    client.force_login(buyer)
    response = client.post(
        reverse("api:import-job-list"),
        {"kind": "suppliers", "file": csv_file("suppliers", [supplier_row(1)], header=["x"])},
    )
    assert response.status_code == 400
    assert "does not match the template" in response.content.decode()


def test_the_command_dry_run_writes_nothing_then_imports(buyer, tmp_path, capsys):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(csv_file("suppliers", [supplier_row(1), supplier_row(2)]).read())

    call_command("import_data", "suppliers", str(path), "--dry-run", "--as", buyer.email)
    assert "2 create" in capsys.readouterr().out
    assert not Supplier.objects.exists()

    call_command("import_data", "suppliers", str(path), "--as", buyer.email)
    assert Supplier.objects.count() == 2


def test_the_command_refuses_a_file_with_bad_rows(buyer, tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(csv_file("suppliers", [supplier_row(1, country="Chna")]).read())
    with pytest.raises(CommandError, match="row"):
        call_command("import_data", "suppliers", str(path), "--as", buyer.email)
    assert not Supplier.objects.exists()


def test_a_large_import_emails_the_uploader_when_done(
    buyer, settings, mailoutbox, django_capture_on_commit_callbacks
):
    from communications.models import Notification
    from tests.imports.helpers import confirm, preview

    settings.FORGELINE_IMPORT_NOTIFY_MIN_ROWS = 2
    with django_capture_on_commit_callbacks(execute=True):
        confirm(preview(buyer, "suppliers", csv_file("suppliers", [supplier_row(1), supplier_row(2)])), buyer)
    titles = list(Notification.objects.filter(user=buyer).order_by("pk").values_list("title", flat=True))
    assert titles == [
        "Your import is checked: Suppliers, data.csv",
        "Your import is done: Suppliers, data.csv",
    ]
    assert len(mailoutbox) == 2


def test_the_import_pages_cost_a_fixed_number_of_queries(buyer_client, buyer, django_assert_max_num_queries):
    from imports import services
    from tests.imports.helpers import preview

    for n in range(30):
        services.import_job_create(
            by=buyer, kind="suppliers", upload=csv_file("suppliers", [supplier_row(n)])
        )
    job = preview(
        buyer, "suppliers", csv_file("suppliers", [supplier_row(n, country="Chna") for n in range(150)])
    )
    with django_assert_max_num_queries(12):
        assert buyer_client.get(reverse("imports:list")).status_code == 200
    with django_assert_max_num_queries(12):
        page = buyer_client.get(job.get_absolute_url() + "?show=errors")
    assert page.content.decode().count("is not a country") == 100  # a page of a hundred rows
