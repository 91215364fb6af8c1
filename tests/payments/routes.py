"""Isolation-test routes of the payments app (merged into tests/test_isolation.py ROUTES)."""

from tests.isolation import A, Route

ROUTES: dict[str, Route] = {
    # Staff pages
    "payments:invoice_list": Route("staff"),
    "payments:invoice_due": Route("staff"),
    "payments:invoice_create": Route("staff"),
    "payments:invoice_detail": Route("staff", {"pk": A("invoice")}),
    "payments:invoice_approve": Route("staff", {"pk": A("invoice")}, buyer_get=405),
    "payments:invoice_reject": Route("staff", {"pk": A("invoice")}, buyer_get=405),
    "payments:payment_record": Route("staff", {"pk": A("invoice")}, buyer_get=405),
    "payments:discrepancy_resolve": Route("staff", {"pk": A("discrepancy")}, buyer_get=405),
    "payments:term_change_list": Route("staff"),
    "payments:term_change_create": Route("staff"),
    "payments:term_change_agree": Route("staff", {"pk": A("term_change")}, buyer_get=403),  # a manager's
    "payments:term_change_withdraw": Route("staff", {"pk": A("term_change")}, buyer_get=405),
    # Portal pages
    "portal:invoices": Route("portal", buyer_get=403, owner_get=200),
    "portal:invoice_detail": Route("portal", {"pk": A("invoice")}, buyer_get=403, owner_get=200),
    "portal:invoice_submit": Route("portal", {"pk": A("order")}, buyer_get=403, owner_get=200),
    "portal:payment_terms": Route("portal", buyer_get=403, owner_get=200),
    "portal:payment_terms_answer": Route("portal", {"pk": A("term_change")}, buyer_get=403, owner_get=200),
    # API
    "api:invoice-list": Route("api", owner_get=200),
    "api:invoice-detail": Route("api", {"pk": A("invoice")}, owner_get=200),
    "api:invoice-approve": Route("api", {"pk": A("invoice")}, buyer_get=405, owner_get=405),
    "api:invoice-reject": Route("api", {"pk": A("invoice")}, buyer_get=405, owner_get=405),
    "api:invoice-discrepancy-list": Route("api", owner_get=200),
    "api:invoice-discrepancy-detail": Route("api", {"pk": A("discrepancy")}, owner_get=200),
    "api:invoice-discrepancy-resolve": Route("api", {"pk": A("discrepancy")}, buyer_get=405, owner_get=405),
    "api:payment-list": Route("api", owner_get=200),
    "api:payment-detail": Route("api", {"pk": A("payment")}, owner_get=200),
    "api:payment-term-change-list": Route("api", owner_get=200),
    "api:payment-term-change-detail": Route("api", {"pk": A("term_change")}, owner_get=200),
    "api:payment-term-change-accept": Route("api", {"pk": A("term_change")}, buyer_get=405, owner_get=405),
    "api:payment-term-change-dispute": Route("api", {"pk": A("term_change")}, buyer_get=405, owner_get=405),
    "api:payment-term-change-record-agreement": Route(
        "api", {"pk": A("term_change")}, buyer_get=405, owner_get=405
    ),
    "api:payment-term-change-withdraw": Route("api", {"pk": A("term_change")}, buyer_get=405, owner_get=405),
}
