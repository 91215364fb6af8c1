"""Isolation-test routes of the integrations app (merged into tests/test_isolation.py ROUTES).

Every page is an administrator's: a buyer is refused (403), a factory contact gets 404 like on any staff page,
and the API lists nothing to anyone but an administrator.
"""

from tests.isolation import Route

MISSING = 987654321

ROUTES: dict[str, Route] = {
    "integrations:list": Route("staff", buyer_get=403),
    "integrations:endpoint_create": Route("staff", buyer_get=403),
    "integrations:endpoint_detail": Route("staff", {"pk": MISSING}, buyer_get=403),
    "integrations:endpoint_action": Route("staff", {"pk": MISSING, "action": "pause"}, buyer_get=403),
    "integrations:channel_create": Route("staff", buyer_get=403),
    "integrations:channel_detail": Route("staff", {"pk": MISSING}, buyer_get=403),
    "integrations:channel_action": Route("staff", {"pk": MISSING, "action": "pause"}, buyer_get=403),
    "integrations:delivery_detail": Route("staff", {"pk": MISSING}, buyer_get=403),
    "integrations:delivery_replay": Route("staff", {"pk": MISSING}, buyer_get=403),
    # No supplier's rows: a factory token lists nothing (tests/integrations/test_views.py), so these lists are left
    # out of the checks of a factory contact's own rows (owner_get=None).
    "api:webhook-endpoint-list": Route("api"),
    "api:webhook-endpoint-detail": Route("api", {"pk": MISSING}, buyer_get=404, owner_get=404),
    "api:webhook-endpoint-rotate-secret": Route("api", {"pk": MISSING}, buyer_get=405, owner_get=405),
    "api:webhook-endpoint-resume": Route("api", {"pk": MISSING}, buyer_get=405, owner_get=405),
    "api:webhook-delivery-list": Route("api"),
    "api:webhook-delivery-detail": Route("api", {"pk": MISSING}, buyer_get=404, owner_get=404),
    "api:webhook-delivery-replay": Route("api", {"pk": MISSING}, buyer_get=405, owner_get=405),
}
