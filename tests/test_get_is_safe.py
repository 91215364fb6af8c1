"""GET never changes state: every URL pattern of the project, requested with GET by a signed-in staff member and by
a factory contact, writes nothing to the database.

A link preview, a prefetching browser or a crawler follows links; a page that marks things read, claims, or
creates rows on GET would act behind the user's back (and a cross-site <img> could trigger it). The URLs come
from the isolation test's table, which itself fails when a pattern is missing, so a new page is covered too.
"""

import re

import pytest
from django.db import connection

from tests.test_isolation import ADMIN_SAMPLES, ROUTES, build_url

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# Writes that belong to signing in and keeping a session, not to what the page does.
ALLOWED = re.compile(
    r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(django_session|axes_\w+|usersessions_\w+)"?'
    r'|^\s*UPDATE\s+"?accounts_user"?\s+SET\s+"?last_login"?\s*=[^,]*\sWHERE',
    re.IGNORECASE,
)


class WriteRecorder:
    """Record every SQL statement that writes, except the allowed session bookkeeping."""

    def __init__(self):
        self.writes: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        if WRITE.match(sql) and not ALLOWED.match(sql):
            self.writes.append(sql)
        return execute(sql, params, many, context)


def get_every_url(client, objects, urls):
    """GET each URL and return {url: [write statements]} for those that wrote."""
    offenders = {}
    for url in urls:
        recorder = WriteRecorder()
        with connection.execute_wrapper(recorder):
            client.get(url)
        if recorder.writes:
            offenders[url] = recorder.writes
    return offenders


def all_urls(objects):
    urls = [build_url(name, route.kwargs, objects) for name, route in sorted(ROUTES.items())]
    urls += [url + "?format=api" for url in urls if url.startswith("/api/")]  # the browsable API's forms
    return urls + [build_url(name, kwargs, objects) for name, kwargs in ADMIN_SAMPLES]


@pytest.mark.parametrize("who", ["admin_user", "portal_a"])
def test_get_requests_write_nothing_for_staff_and_factory_contacts(client, objects_a, request, who):
    from communications.models import Notification

    user = request.getfixturevalue(who)
    # Something unread, so that a page which marks notifications read on GET would show here.
    Notification.objects.create(user=user, title="Unread", url="/")
    client.force_login(user)

    offenders = get_every_url(client, objects_a, all_urls(objects_a))

    assert not offenders, "GET wrote to the database:\n" + "\n".join(
        f"{url}: {writes[0][:200]}" for url, writes in offenders.items()
    )
    assert Notification.objects.filter(user=user, read_at__isnull=True).exists()


def test_the_recorder_sees_a_write_made_on_get(client, buyer, objects_a):
    """The check above can fail: a GET that writes is caught."""
    from communications.models import Notification

    recorder = WriteRecorder()
    with connection.execute_wrapper(recorder):
        Notification.objects.create(user=buyer, title="written")
        client.force_login(buyer)
    assert any("communications_notification" in sql for sql in recorder.writes)
    assert not any("django_session" in sql for sql in recorder.writes)
