"""A request id follows a request into its log lines and into the tasks it queues; production logs are JSON."""

import json
import logging
from unittest import mock

import pytest

from core import request_id
from core.log_format import JsonFormatter
from core.queue import task_publish
from scorecards.tasks import red_flags_scan_task

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id_and_a_plain_one_from_the_proxy_is_kept(client):
    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/healthz", headers={"X-Request-ID": "edge-42"})["X-Request-ID"] == "edge-42"
    # Anything else (too long, or a header injection attempt) is replaced.
    assert client.get("/healthz", headers={"X-Request-ID": "a b\r\nc"})["X-Request-ID"] != "a b\r\nc"


def test_a_task_queued_within_a_request_carries_its_id_and_the_worker_logs_under_it():
    token = request_id.set_request_id("req-7")
    try:
        with mock.patch.object(red_flags_scan_task, "apply_async") as publish:
            task_publish(red_flags_scan_task)
    finally:
        request_id.reset_request_id(token)
    assert publish.call_args.kwargs["headers"] == {"request_id": "req-7"}

    # On the worker: the header becomes the current id while the task runs, and is gone afterwards.
    sender = mock.Mock(request=mock.Mock(request_id=None, headers={"request_id": "req-7"}))
    request_id._task_started(sender=sender)
    assert request_id.current_request_id() == "req-7"
    request_id._task_finished(sender=sender)
    assert request_id.current_request_id() == ""


def test_json_logs_hold_the_request_id_and_extra_fields():
    record = logging.LogRecord("forgeline", logging.WARNING, __file__, 1, "Sent %s", ("x",), None)
    record.request_id = "req-9"
    record.notification = 12
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "Sent x" and entry["level"] == "WARNING"
    assert entry["request_id"] == "req-9" and entry["notification"] == 12
