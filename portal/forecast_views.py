"""Portal pages of the demand outlook: the factory reads the buyer's forecast and answers each month with the
capacity it commits, or a shortfall and why."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import PortalRequiredMixin
from core.views import submit
from core.waiting import waiting_narrow
from planning import selectors, services
from planning.forms import CapacityAnswerForm


class PortalForecastListView(PortalRequiredMixin, View):
    """The forecast versions the buyer published to this factory, newest first."""

    def get(self, request):
        forecasts = waiting_narrow(request, selectors.forecast_list(user=request.user))
        return render(request, "portal/forecast_list.html", {"forecasts": forecasts[:50]})


class PortalForecastDetailView(PortalRequiredMixin, View):
    """One version, month by month, with what changed and an answer form per month (newest version only)."""

    def get(self, request, pk):
        forecast = selectors.forecast_get(user=request.user, pk=pk)  # 404 for another supplier's
        return self.render(forecast, form=None)

    def post(self, request, pk):
        forecast = selectors.forecast_get(user=request.user, pk=pk)
        months = [m.month for m in selectors.forecast_months(forecast=forecast)]
        form = CapacityAnswerForm(request.POST, months=months)
        if submit(
            request,
            form,
            lambda data: services.capacity_answer(forecast=forecast, by=request.user, **data),
            _("Thank you: your answer was sent to the buyer."),
        ):
            return redirect("portal:forecast_detail", pk=forecast.pk)
        return self.render(forecast, form=form, status=400)

    @staticmethod
    def unplaced_errors(form, months) -> list[str]:
        """Return the errors no month's card can show: all of them when the month posted is none of this version's."""
        if form is None:
            return []
        if form.data.get("month") in {f"{m.month:%Y-%m}" for m in months}:
            return list(form.non_field_errors())
        return [message for messages in form.errors.values() for message in messages]

    def render(self, forecast, form, status=200):
        months = selectors.forecast_months(forecast=forecast)
        newest = selectors.forecast_newest(supplier_id=forecast.supplier_id)
        previous, diff = selectors.forecast_diff(forecast=forecast)
        failed_month = form.data.get("month") if form is not None else None
        for month in months:
            key = f"{month.month:%Y-%m}"
            if form is not None and failed_month == key:
                month.form = form
            else:
                answer = month.answer
                month.form = CapacityAnswerForm(
                    months=[month.month],
                    prefix=None,
                    initial={
                        "month": key,
                        "status": answer.status if answer else "committed",
                        "committed_quantity": answer.committed_quantity if answer else month.total,
                        "reason": answer.reason if answer else "",
                    },
                )
        return render(
            self.request,
            "portal/forecast_detail.html",
            {
                "forecast": forecast,
                "months": months,
                "answerable": newest is not None and newest.pk == forecast.pk,
                "newest": newest,
                "previous": previous,
                "diff": diff,
                "form_errors": self.unplaced_errors(form, months),
            },
            status=status,
        )
