"""The administrators' integrations pages and API: register an endpoint (the secret shown once), clear errors for
a bad URL, deliveries with their attempts and replay; nobody else gets in."""

import pytest
from django.urls import reverse

from core.events import EventType, event_emit
from integrations import services
from integrations.models import ChatChannel, WebhookDelivery, WebhookEndpoint
from tests.factories import api_token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_an_administrator_registers_an_endpoint_and_sees_its_secret_once(
    admin_client, admin_user, private_allowed
):
    response = admin_client.post(
        reverse("integrations:endpoint_create"),
        {
            "name": "ERP",
            "url": "http://127.0.0.1:9/hook",
            "event_types": [EventType.DELIVERY_RECEIVED, EventType.ORDER_STATE],
            "owner": admin_user.pk,
            "is_active": "on",
        },
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 200
    assert endpoint.secret in response.content.decode()
    assert endpoint.event_types == [EventType.DELIVERY_RECEIVED, EventType.ORDER_STATE]

    page = admin_client.get(endpoint.get_absolute_url()).content.decode()
    assert endpoint.secret not in page
    assert (
        endpoint.secret
        not in admin_client.get(
            reverse("admin:integrations_webhookendpoint_change", args=[endpoint.pk])
        ).content.decode()
    )


def test_a_webhook_to_the_metadata_address_is_refused_with_the_reason_and_nothing_saved(
    admin_client, admin_user
):
    response = admin_client.post(
        reverse("integrations:endpoint_create"),
        {
            "name": "Sneaky",
            "url": "http://169.254.169.254/latest/meta-data/",
            "event_types": [EventType.ORDER_STATE],
            "owner": admin_user.pk,
        },
    )
    assert response.status_code == 400
    assert "private, link-local or metadata address" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_an_endpoint_without_events_is_refused(admin_client, admin_user, private_allowed):
    response = admin_client.post(
        reverse("integrations:endpoint_create"),
        {"name": "ERP", "url": "http://127.0.0.1:9/", "owner": admin_user.pk},
    )
    assert response.status_code == 400 and "Choose at least one event." in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_a_chat_channel_of_one_owner_needs_that_owner(admin_client, admin_user, private_allowed):
    data = {
        "name": "Bea",
        "kind": "slack",
        "url": "http://127.0.0.1:9/",
        "scope": "owner",
        "language": "en",
        "owner": admin_user.pk,
    }
    response = admin_client.post(reverse("integrations:channel_create"), data)
    assert response.status_code == 400 and "Choose whose suppliers" in response.content.decode()
    response = admin_client.post(
        reverse("integrations:channel_create"), {**data, "supplier_owner": admin_user.pk}
    )
    assert response.status_code == 302
    assert ChatChannel.objects.get().supplier_owner == admin_user


def test_the_admin_replays_a_delivery_from_its_page(admin_client, endpoint, receiver, supplier_a):
    event_emit(EventType.SUPPLIER_STAGE, supplier_a, state="approved")
    first = WebhookDelivery.objects.get()
    services.delivery_send(delivery_id=first.pk)
    page = admin_client.get(reverse("integrations:delivery_detail", args=[first.pk])).content.decode()
    assert "200" in page and str(first.event.uuid) in page

    response = admin_client.post(reverse("integrations:delivery_replay", args=[first.pk]))
    replay = WebhookDelivery.objects.exclude(pk=first.pk).get()
    assert response["Location"] == reverse("integrations:delivery_detail", args=[replay.pk])
    assert replay.event_id == first.event_id


def test_the_django_admin_replays_deliveries(admin_client, endpoint, supplier_a):
    event_emit(EventType.SUPPLIER_STAGE, supplier_a, state="approved")
    first = WebhookDelivery.objects.get()
    admin_client.post(
        reverse("admin:integrations_webhookdelivery_changelist"),
        {"action": "replay", "_selected_action": [first.pk]},
    )
    assert WebhookDelivery.objects.filter(replay_of=first, event=first.event).count() == 1


def test_pausing_and_resuming_from_the_page(admin_client, endpoint):
    admin_client.post(reverse("integrations:endpoint_action", args=[endpoint.pk, "pause"]))
    endpoint.refresh_from_db()
    assert endpoint.is_paused
    admin_client.post(reverse("integrations:endpoint_action", args=[endpoint.pk, "resume"]))
    endpoint.refresh_from_db()
    assert not endpoint.is_paused


def test_a_new_secret_replaces_the_old_one(admin_client, endpoint):
    old = endpoint.secret
    response = admin_client.post(reverse("integrations:endpoint_action", args=[endpoint.pk, "rotate-secret"]))
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret in response.content.decode()


@pytest.mark.parametrize("who", ["buyer", "manager"])
def test_only_administrators_manage_integrations(client, request, who, endpoint):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("integrations:list")).status_code == 403
    assert (
        client.post(reverse("integrations:endpoint_action", args=[endpoint.pk, "pause"])).status_code == 403
    )
    with pytest.raises(Exception, match="does not allow"):
        services.endpoint_create(
            by=request.getfixturevalue(who),
            name="x",
            url="https://example.com/",
            event_types=["order.state_changed"],
        )


def test_the_list_page_takes_a_fixed_number_of_queries(
    admin_client, admin_user, private_allowed, django_assert_max_num_queries
):
    for n in range(8):
        services.endpoint_create(
            by=admin_user,
            name=f"E{n}",
            url=f"http://127.0.0.1:{9000 + n}/",
            event_types=["order.state_changed"],
        )
        services.channel_create(
            by=admin_user, name=f"C{n}", kind="slack", url=f"http://127.0.0.1:{9100 + n}/"
        )
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("integrations:list"))
    assert response.content.decode().count("/integrations/webhooks/") >= 8


def test_the_endpoint_page_lists_deliveries_in_a_fixed_number_of_queries(
    admin_client, endpoint, supplier_a, django_assert_max_num_queries
):
    for _n in range(30):
        event_emit(EventType.SUPPLIER_STAGE, supplier_a, state="approved")
    with django_assert_max_num_queries(14):
        response = admin_client.get(endpoint.get_absolute_url())
    assert response.status_code == 200


def test_the_api_answers_the_secret_on_create_only(api_client, admin_user, private_allowed):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(admin_user)}")
    created = api_client.post(
        reverse("api:webhook-endpoint-list"),
        {"name": "ERP", "url": "http://127.0.0.1:9/", "event_types": ["order.state_changed"]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["secret"].startswith("whsec_")
    listed = api_client.get(reverse("api:webhook-endpoint-list")).json()
    assert listed["count"] == 1 and "secret" not in listed["results"][0]


def test_the_api_refuses_a_private_url_in_words(api_client, admin_user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(admin_user)}")
    refused = api_client.post(
        reverse("api:webhook-endpoint-list"),
        {"name": "ERP", "url": "http://10.0.0.1/", "event_types": ["order.state_changed"]},
        format="json",
    )
    assert refused.status_code == 400 and "url" in refused.json()
    assert not WebhookEndpoint.objects.exists()


def test_a_factory_token_and_a_buyer_see_no_endpoint_and_cannot_create_one(
    api_client, endpoint, portal_a, buyer
):
    for user in (portal_a, buyer):
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
        assert api_client.get(reverse("api:webhook-endpoint-list")).json()["count"] == 0
        assert api_client.get(reverse("api:webhook-delivery-list")).json()["count"] == 0
        denied = api_client.post(
            reverse("api:webhook-endpoint-list"),
            {"name": "x", "url": "https://example.com/", "event_types": ["order.state_changed"]},
            format="json",
        )
        assert denied.status_code == 403
        assert api_client.post(
            reverse("api:webhook-endpoint-rotate-secret", args=[endpoint.pk])
        ).status_code in (403, 404)
    assert WebhookEndpoint.objects.count() == 1


def test_every_integrations_page_passes_the_content_security_policy(
    admin_client, endpoint, slack, supplier_a
):
    from tests.test_security_headers import walk

    event_emit(EventType.RED_FLAG_RAISED, supplier_a, state="open")
    delivery = WebhookDelivery.objects.filter(endpoint=endpoint).get()
    urls = [
        reverse("integrations:list"),
        reverse("integrations:endpoint_create"),
        reverse("integrations:channel_create"),
        endpoint.get_absolute_url(),
        slack.get_absolute_url(),
        reverse("integrations:delivery_detail", args=[delivery.pk]),
    ]
    failures, html_pages = walk(admin_client, urls)
    assert not failures and html_pages == len(urls)


def test_the_django_admin_refuses_a_metadata_address_too(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:integrations_webhookendpoint_add"),
        {
            "name": "Sneaky",
            "url": "http://169.254.169.254/",
            "owner": admin_user.pk,
            "is_active": "on",
            "event_types": '["order.state_changed"]',
        },
    )
    assert response.status_code == 200 and "metadata address" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()
