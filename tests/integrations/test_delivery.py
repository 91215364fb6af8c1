"""Webhook deliveries against a real HTTP receiver: the signature (checked by the README's receiver example),
at-least-once with a stable event id, retries with exponential back-off, giving up, pausing after a day, replay."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from communications.models import Notification
from core.events import EventType, event_emit
from integrations import services
from integrations.models import WebhookDelivery, WebhookEvent
from integrations.tasks import webhook_deliveries_sweep_task

pytestmark = pytest.mark.django_db

T0 = timezone.datetime(2026, 12, 5, 9, 0, tzinfo=timezone.UTC)


def readme_receiver():
    """Run the README's receiver example and return its namespace (its verify function)."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme.split("### Webhooks and chat", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    namespace: dict = {}
    exec(compile(code, "README receiver example", "exec"), namespace)
    return namespace


def emit(supplier):
    """Record one event about a supplier (as a service does, in its transaction) and return its delivery ids."""
    event_emit(
        EventType.SUPPLIER_STAGE, supplier, state="approved", stage={"from": "pilot", "to": "approved"}
    )
    return list(WebhookDelivery.objects.order_by("pk").values_list("pk", flat=True))


def test_an_event_arrives_signed_and_the_readme_receiver_verifies_it(endpoint, receiver, supplier_a):
    (delivery_id,) = emit(supplier_a)

    assert services.delivery_send(delivery_id=delivery_id) is True

    (request,) = receiver.requests
    event = WebhookEvent.objects.get()
    assert request.path == "/hooks/forgeline"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-forgeline-event"] == "supplier.stage_changed"
    assert request.headers["x-forgeline-event-id"] == str(event.uuid)
    body = request.json()
    assert body["id"] == str(event.uuid) and body["type"] == "supplier.stage_changed"
    assert body["data"]["supplier"] == {"id": supplier_a.pk, "name": "Alpha Factory"}
    assert body["data"]["object"]["url"].endswith(supplier_a.get_absolute_url())
    verify = readme_receiver()["verify"]
    assert verify(endpoint.secret, request.headers, request.body)
    # A body changed on the way, another secret, or an old timestamp do not verify.
    assert not verify(endpoint.secret, request.headers, request.body + b" ")
    assert not verify("whsec_other", request.headers, request.body)
    stale = int(request.headers["x-forgeline-timestamp"]) + 3600
    assert not verify(endpoint.secret, request.headers, request.body, now=stale)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.last_status_code == 200
    (attempt,) = delivery.attempt_log.all()
    assert attempt.number == 1 and attempt.status_code == 200 and attempt.duration_ms >= 0


def test_a_failed_delivery_is_retried_after_a_doubling_wait_until_it_arrives(endpoint, receiver, supplier_a):
    receiver.answers = [500, 503]
    with time_machine.travel(T0, tick=False):
        (delivery_id,) = emit(supplier_a)
        assert services.delivery_send(delivery_id=delivery_id) is False
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.next_attempt_at == T0 + timedelta(minutes=1)

    with time_machine.travel(T0 + timedelta(seconds=59), tick=False):
        webhook_deliveries_sweep_task()  # not due yet
    assert len(receiver.requests) == 1
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        webhook_deliveries_sweep_task()
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == T0 + timedelta(minutes=1) + timedelta(minutes=2)  # 1, then 2 minutes
    with time_machine.travel(T0 + timedelta(minutes=3), tick=False):
        webhook_deliveries_sweep_task()

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert [(a.number, a.status_code) for a in delivery.attempt_log.all()] == [(1, 500), (2, 503), (3, 200)]
    # The same event id on every attempt: the receiver drops the duplicates it already processed.
    assert {r.headers["x-forgeline-event-id"] for r in receiver.requests} == {str(delivery.event.uuid)}
    assert [r.headers["x-forgeline-attempt"] for r in receiver.requests] == ["1", "2", "3"]


def test_a_delivery_is_given_up_after_the_last_attempt_and_can_be_replayed(
    endpoint, receiver, supplier_a, admin_user
):
    receiver.answers = [500] * services.MAX_ATTEMPTS
    now = T0
    with time_machine.travel(now, tick=False):
        (delivery_id,) = emit(supplier_a)
    waits = []
    for _attempt in range(services.MAX_ATTEMPTS):
        with time_machine.travel(now, tick=False):
            services.delivery_send(delivery_id=delivery_id)
        delivery = WebhookDelivery.objects.get(pk=delivery_id)
        waits.append(delivery.next_attempt_at - now)
        now = delivery.next_attempt_at
        # Pausing after a day is another test: keep the endpoint from being paused here.
        type(endpoint).objects.filter(pk=endpoint.pk).update(failing_since=None)
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS == delivery.attempt_log.count()
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert max(waits) == services.BACKOFF_MAX
    with time_machine.travel(now + timedelta(days=1), tick=False):
        assert services.delivery_send(delivery_id=delivery_id) is False  # failed: never taken again
    assert len(receiver.requests) == services.MAX_ATTEMPTS

    replay = services.delivery_replay(delivery=delivery, by=admin_user)
    assert services.delivery_send(delivery_id=replay.pk) is True
    assert replay.event_id == delivery.event_id and replay.replay_of == delivery
    assert receiver.requests[-1].headers["x-forgeline-event-id"] == str(delivery.event.uuid)


def test_an_endpoint_failing_for_a_day_is_paused_and_its_owner_told_in_their_language(
    endpoint, receiver, supplier_a, admin_user
):
    admin_user.language = "vi"
    admin_user.save(update_fields=["language"])
    receiver.answers = [500] * 20
    with time_machine.travel(T0, tick=False):
        first, *_ = emit(supplier_a)
        services.delivery_send(delivery_id=first)
    endpoint.refresh_from_db()
    assert endpoint.failing_since == T0 and endpoint.paused_at is None
    with time_machine.travel(T0 + timedelta(hours=23), tick=False):
        second = emit(supplier_a)[-1]
        services.delivery_send(delivery_id=second)
    endpoint.refresh_from_db()
    assert endpoint.paused_at is None

    with time_machine.travel(T0 + timedelta(hours=24, minutes=1), tick=False):
        third = emit(supplier_a)[-1]
        services.delivery_send(delivery_id=third)
    endpoint.refresh_from_db()
    assert endpoint.paused_at is not None
    (notice,) = Notification.objects.filter(user=admin_user)
    assert "ERP" in notice.title and notice.url == endpoint.get_absolute_url()
    assert notice.title.startswith("Đã tạm dừng")

    # Paused: nothing more is sent, however due; resuming sends what waited, and a success clears the failure.
    sent = len(receiver.requests)
    receiver.answers = []
    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        webhook_deliveries_sweep_task()
        assert len(receiver.requests) == sent
        services.target_resume(target=endpoint, by=admin_user)
        webhook_deliveries_sweep_task()
    assert len(receiver.requests) == sent + 3
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None and endpoint.paused_at is None
    assert Notification.objects.filter(user=admin_user).count() == 1


def test_a_claimed_delivery_is_left_to_its_worker_until_the_lease_runs_out(endpoint, receiver, supplier_a):
    with time_machine.travel(T0, tick=False):
        (delivery_id,) = emit(supplier_a)
    # A worker claimed it and died before recording anything.
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        status=WebhookDelivery.Status.SENDING, claimed_at=T0, claimed_by="dead:1", attempts=1
    )
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        assert services.delivery_send(delivery_id=delivery_id) is False
    with time_machine.travel(T0 + timedelta(minutes=11), tick=False):
        assert services.deliveries_due(now=timezone.now()) == [delivery_id]
        assert services.delivery_send(delivery_id=delivery_id) is True
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().attempts == 2


def test_sending_a_delivery_twice_posts_it_once(endpoint, receiver, supplier_a):
    (delivery_id,) = emit(supplier_a)
    assert services.deliveries_send(delivery_ids=[delivery_id, delivery_id]) == 1
    assert len(receiver.requests) == 1


def test_an_event_of_a_rolled_back_write_is_never_sent(endpoint, supplier_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        emit(supplier_a)
        raise RuntimeError("the service failed after emitting")
    assert not WebhookEvent.objects.exists() and not WebhookDelivery.objects.exists()


def test_the_delivery_is_queued_once_the_write_commits(
    endpoint, receiver, supplier_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        emit(supplier_a)
        assert receiver.requests == []
    assert len(receiver.requests) == 1  # the eager task ran after the commit


def test_an_event_nobody_subscribed_to_costs_one_query_and_writes_nothing(
    admin_user, receiver, private_allowed, supplier_a, django_assert_num_queries
):
    services.endpoint_create(
        by=admin_user, name="Invoices only", url=receiver.url(), event_types=[EventType.INVOICE_STATE]
    )
    with django_assert_num_queries(1):
        event_emit(EventType.ORDER_STATE, supplier_a, state="sent")
    assert not WebhookEvent.objects.exists()


def test_a_switched_off_endpoint_receives_nothing(endpoint, supplier_a):
    endpoint.is_active = False
    endpoint.save()
    assert emit(supplier_a) == []


def test_events_older_than_ninety_days_are_pruned_unless_a_delivery_still_waits(
    endpoint, receiver, supplier_a
):
    with time_machine.travel(T0, tick=False):
        delivered, waiting = emit(supplier_a)[-1], None
        services.delivery_send(delivery_id=delivered)
        waiting = emit(supplier_a)[-1]  # never sent: its endpoint was paused, say
    with time_machine.travel(T0 + timedelta(days=89), tick=False):
        assert services.events_prune(now=timezone.now()) == 0
    with time_machine.travel(T0 + timedelta(days=91), tick=False):
        assert services.events_prune(now=timezone.now()) == 1
    assert list(WebhookDelivery.objects.values_list("pk", flat=True)) == [waiting]
