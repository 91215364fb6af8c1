from django.urls import path

from . import disruption_views, views

app_name = "orders"

urlpatterns = [
    path("", views.OrderListView.as_view(), name="list"),
    path("new/", views.OrderCreateView.as_view(), name="create"),
    path("deliveries/", views.DeliveryListView.as_view(), name="delivery_list"),
    path("<int:pk>/", views.OrderDetailView.as_view(), name="detail"),
    path("<int:pk>/send/", views.order_send, name="send"),
    path("<int:pk>/cancel/", views.order_cancel, name="cancel"),
    path("<int:pk>/close/", views.order_close, name="close"),
    path("<int:pk>/charges/", views.order_charge_set, name="charge_set"),
    path("<int:pk>/charges/<int:charge_pk>/remove/", views.order_charge_remove, name="charge_remove"),
    path("<int:pk>/lines/<int:line_pk>/change/", views.LineChangeView.as_view(), name="line_change"),
    path("supplier-hints/", views.supplier_hints, name="supplier_hints"),
    path("<int:pk>/renumber/", views.order_renumber, name="renumber"),
    path("<int:pk>/po.pdf", views.order_pdf, name="pdf"),
    path(
        "<int:pk>/deliveries/<int:delivery_pk>/receive/",
        views.DeliveryReceiveView.as_view(),
        name="delivery_receive",
    ),
    path("<int:pk>/proposals/<int:proposal_pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path("<int:pk>/changes/<int:change_pk>/answer/", views.change_answer, name="change_answer"),
    path("<int:pk>/factory-changes/answer/", views.factory_changes_answer, name="factory_changes_answer"),
    path("disruptions/", disruption_views.DisruptionListView.as_view(), name="disruption_list"),
    path("disruptions/new/", disruption_views.DisruptionCreateView.as_view(), name="disruption_create"),
    path("disruptions/<int:pk>/", disruption_views.DisruptionDetailView.as_view(), name="disruption_detail"),
    path("deliveries/<int:pk>/excuse/", disruption_views.delivery_excuse, name="delivery_excuse"),
    path(
        "deliveries/<int:pk>/excuse/withdraw/",
        disruption_views.delivery_excuse_withdraw,
        name="delivery_excuse_withdraw",
    ),
]
