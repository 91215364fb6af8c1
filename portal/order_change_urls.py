"""Portal pages for changes of sent orders (in the portal namespace)."""

from django.urls import path

from . import order_change_views

urlpatterns = [
    path(
        "orders/<int:pk>/changes/<int:change_pk>/",
        order_change_views.PortalChangeAnswerView.as_view(),
        name="order_change_answer",
    ),
    path(
        "orders/<int:pk>/decline/", order_change_views.PortalOrderDeclineView.as_view(), name="order_decline"
    ),
    path(
        "orders/<int:pk>/confirm-with-changes/",
        order_change_views.PortalOrderConfirmChangesView.as_view(),
        name="order_confirm_changes",
    ),
]
