"""Portal pages of training and community programmes: the factory sees its own, and accepts an offered training."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import PortalRequiredMixin
from core.views import run_service
from core.waiting import waiting_narrow
from partnership.selectors import training as selectors
from partnership.services import training as services


class PortalTrainingListView(PortalRequiredMixin, View):
    """Training the buyer offered to or gave at this factory, latest date first."""

    def get(self, request):
        trainings = waiting_narrow(request, selectors.training_list(user=request.user))
        return render(request, "portal/partnership_ideas_training.html", {"trainings": trainings[:100]})


class PortalTrainingAcceptView(PortalRequiredMixin, View):
    """Accept an offered training (POST only)."""

    def post(self, request, pk):
        training = selectors.training_get(user=request.user, pk=pk)  # 404 for another supplier's
        run_service(
            request,
            lambda: services.training_accept(training=training, by=request.user),
            _("Thank you: the buyer knows you accepted the training."),
        )
        return redirect("portal:partnership_training")


class PortalProgrammeListView(PortalRequiredMixin, View):
    """Community and social programmes the buyer supports with this factory."""

    def get(self, request):
        programmes = selectors.programme_list(user=request.user)
        return render(request, "portal/partnership_ideas_programmes.html", {"programmes": programmes[:100]})
