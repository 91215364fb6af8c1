"""Staff pages of the integrations app (administrators only): webhook endpoints, chat channels, deliveries."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import StaffRequiredMixin
from core.views import paginate, run_service, submit

from . import selectors, services
from .forms import ChannelForm, EndpointForm


class AdminMixin(StaffRequiredMixin):
    capability = "integration.manage"


class IntegrationListView(AdminMixin, View):
    """Every webhook endpoint and chat channel, with what failed and what waits."""

    def get(self, request):
        user = request.user
        return render(
            request,
            "integrations/list.html",
            {
                "endpoints": selectors.endpoint_list(user=user),
                "channels": selectors.channel_list(user=user),
            },
        )


def _secret_page(request, endpoint):
    """Show the signing secret once, in the answer to the POST that made it (it is never shown again)."""
    return render(request, "integrations/secret.html", {"endpoint": endpoint})


class EndpointCreateView(AdminMixin, View):
    def get(self, request):
        form = EndpointForm(initial={"owner": request.user, "is_active": True})
        return render(request, "integrations/endpoint_form.html", {"form": form})

    def post(self, request):
        form = EndpointForm(request.POST)
        if done := submit(
            request,
            form,
            lambda data: services.endpoint_create(
                by=request.user,
                name=data["name"],
                url=data["url"],
                event_types=data["event_types"],
                owner=data["owner"],
            ),
            _("Webhook endpoint registered."),
        ):
            return _secret_page(request, done.result)
        return render(request, "integrations/endpoint_form.html", {"form": form}, status=400)


class EndpointDetailView(AdminMixin, View):
    """An endpoint's settings (editable) and its recent deliveries, each with its attempts and a replay button."""

    def _render(self, request, endpoint, form, status=200):
        page, query = paginate(request, selectors.delivery_list(user=request.user, target=endpoint))
        return render(
            request,
            "integrations/endpoint_detail.html",
            {"endpoint": endpoint, "form": form, "page": page, "query": query},
            status=status,
        )

    def get(self, request, pk):
        endpoint = selectors.endpoint_get(user=request.user, pk=pk)
        form = EndpointForm(
            initial={
                "name": endpoint.name,
                "url": endpoint.url,
                "event_types": endpoint.event_types,
                "owner": endpoint.owner,
                "is_active": endpoint.is_active,
            }
        )
        return self._render(request, endpoint, form)

    def post(self, request, pk):
        endpoint = selectors.endpoint_get(user=request.user, pk=pk)
        form = EndpointForm(request.POST)
        if submit(
            request,
            form,
            lambda data: services.endpoint_update(endpoint=endpoint, by=request.user, **data),
            _("Saved."),
        ):
            return redirect(endpoint)
        endpoint.refresh_from_db()
        return self._render(request, endpoint, form, status=400)


class EndpointActionView(AdminMixin, View):
    """Rotate the secret (shown once), pause or resume an endpoint."""

    def post(self, request, pk, action):
        endpoint = selectors.endpoint_get(user=request.user, pk=pk)
        if action == "rotate-secret":
            if run_service(
                request,
                lambda: services.endpoint_rotate_secret(endpoint=endpoint, by=request.user),
                _("A new secret was made; the old one no longer verifies."),
            ):
                return _secret_page(request, endpoint)
        elif action == "pause":
            run_service(
                request, lambda: services.target_pause(target=endpoint, by=request.user), _("Paused.")
            )
        elif action == "resume":
            run_service(
                request,
                lambda: services.target_resume(target=endpoint, by=request.user),
                _("Resumed: the waiting deliveries go out now."),
            )
        else:
            raise Http404
        return redirect(endpoint)


def _channel_initial(channel) -> dict:
    return {
        "name": channel.name,
        "kind": channel.kind,
        "url": channel.url,
        "scope": channel.scope,
        "supplier_owner": channel.supplier_owner,
        "language": channel.language,
        "owner": channel.owner,
        "is_active": channel.is_active,
    }


class ChannelCreateView(AdminMixin, View):
    def get(self, request):
        form = ChannelForm(
            initial={"owner": request.user, "is_active": True, "language": request.user.language}
        )
        return render(request, "integrations/channel_form.html", {"form": form})

    def post(self, request):
        form = ChannelForm(request.POST)
        if done := submit(
            request,
            form,
            lambda data: services.channel_create(
                by=request.user, **{k: v for k, v in data.items() if k != "is_active"}
            ),
            _("Chat channel registered: red flags and escalations go there from now on."),
        ):
            return redirect(done.result)
        return render(request, "integrations/channel_form.html", {"form": form}, status=400)


class ChannelDetailView(AdminMixin, View):
    def _render(self, request, channel, form, status=200):
        page, query = paginate(request, selectors.delivery_list(user=request.user, target=channel))
        return render(
            request,
            "integrations/channel_detail.html",
            {"channel": channel, "form": form, "page": page, "query": query},
            status=status,
        )

    def get(self, request, pk):
        channel = selectors.channel_get(user=request.user, pk=pk)
        return self._render(request, channel, ChannelForm(initial=_channel_initial(channel)))

    def post(self, request, pk):
        channel = selectors.channel_get(user=request.user, pk=pk)
        form = ChannelForm(request.POST)
        if submit(
            request,
            form,
            lambda data: services.channel_update(channel=channel, by=request.user, **data),
            _("Saved."),
        ):
            return redirect(channel)
        channel.refresh_from_db()
        return self._render(request, channel, form, status=400)


class ChannelActionView(AdminMixin, View):
    def post(self, request, pk, action):
        channel = selectors.channel_get(user=request.user, pk=pk)
        if action == "pause":
            run_service(request, lambda: services.target_pause(target=channel, by=request.user), _("Paused."))
        elif action == "resume":
            run_service(
                request,
                lambda: services.target_resume(target=channel, by=request.user),
                _("Resumed: the waiting deliveries go out now."),
            )
        else:
            raise Http404
        return redirect(channel)


class DeliveryDetailView(AdminMixin, View):
    """One delivery: the event's body as sent, and every attempt (HTTP status, response time, error)."""

    def get(self, request, pk):
        delivery = selectors.delivery_get(user=request.user, pk=pk)
        return render(request, "integrations/delivery_detail.html", {"delivery": delivery})


class DeliveryReplayView(AdminMixin, View):
    """Send a delivery's event again (same event id), as a new delivery."""

    def post(self, request, pk):
        delivery = selectors.delivery_get(user=request.user, pk=pk)
        replay = run_service(
            request,
            lambda: services.delivery_replay(delivery=delivery, by=request.user),
            _("Queued again, with the same event id."),
        )
        return redirect("integrations:delivery_detail", pk=replay.pk if replay else delivery.pk)
