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


class _TargetDetailView(AdminMixin, View):
    """A target's settings (editable) and its recent deliveries; an endpoint and a chat channel differ only in
    their form, template and update service."""

    template_name = ""
    form_class = None
    fields: tuple[str, ...] = ()

    def target_get(self, request, pk):
        raise NotImplementedError

    def target_update(self, request, target, data):
        raise NotImplementedError

    def _render(self, request, target, form, status=200):
        page, query = paginate(request, selectors.delivery_list(user=request.user, target=target))
        return render(
            request,
            self.template_name,
            {"target": target, self.context_name: target, "form": form, "page": page, "query": query},
            status=status,
        )

    def get(self, request, pk):
        target = self.target_get(request, pk)
        form = self.form_class(initial={name: getattr(target, name) for name in self.fields})
        return self._render(request, target, form)

    def post(self, request, pk):
        target = self.target_get(request, pk)
        form = self.form_class(request.POST)
        if submit(request, form, lambda data: self.target_update(request, target, data), _("Saved.")):
            return redirect(target)
        target.refresh_from_db()
        return self._render(request, target, form, status=400)


class EndpointDetailView(_TargetDetailView):
    """An endpoint's settings (editable) and its recent deliveries, each with its attempts and a replay button."""

    template_name, context_name, form_class = "integrations/endpoint_detail.html", "endpoint", EndpointForm
    fields = ("name", "url", "event_types", "owner", "is_active")

    def target_get(self, request, pk):
        return selectors.endpoint_get(user=request.user, pk=pk)

    def target_update(self, request, target, data):
        return services.endpoint_update(endpoint=target, by=request.user, **data)


class ChannelDetailView(_TargetDetailView):
    """A chat channel's settings (editable) and the messages sent to it."""

    template_name, context_name, form_class = "integrations/channel_detail.html", "channel", ChannelForm
    fields = ("name", "kind", "url", "scope", "supplier_owner", "language", "owner", "is_active")

    def target_get(self, request, pk):
        return selectors.channel_get(user=request.user, pk=pk)

    def target_update(self, request, target, data):
        return services.channel_update(channel=target, by=request.user, **data)


class _TargetActionView(AdminMixin, View):
    """Pause or resume a target (and whatever else a kind of target adds in `extra_action`)."""

    def target_get(self, request, pk):
        raise NotImplementedError

    def extra_action(self, request, target, action):
        """Run an action only this kind of target has; return a response to send instead of the redirect."""
        raise Http404

    def post(self, request, pk, action):
        target = self.target_get(request, pk)
        if action == "pause":
            run_service(request, lambda: services.target_pause(target=target, by=request.user), _("Paused."))
        elif action == "resume":
            run_service(
                request,
                lambda: services.target_resume(target=target, by=request.user),
                _("Resumed: the waiting deliveries go out now."),
            )
        elif response := self.extra_action(request, target, action):
            return response
        return redirect(target)


class EndpointActionView(_TargetActionView):
    """Rotate the secret (shown once), pause or resume an endpoint."""

    def target_get(self, request, pk):
        return selectors.endpoint_get(user=request.user, pk=pk)

    def extra_action(self, request, target, action):
        if action != "rotate-secret":
            raise Http404
        if run_service(
            request,
            lambda: services.endpoint_rotate_secret(endpoint=target, by=request.user),
            _("A new secret was made; the old one no longer verifies."),
        ):
            return _secret_page(request, target)
        return None


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


class ChannelActionView(_TargetActionView):
    """Pause or resume a chat channel."""

    def target_get(self, request, pk):
        return selectors.channel_get(user=request.user, pk=pk)


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
