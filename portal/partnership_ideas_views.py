"""Portal pages of improvement ideas: the factory proposes ideas, reads the buyer's answer and comments on its own
company's ideas; the buyer's internal review note never reaches these pages."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import PortalRequiredMixin
from core.views import submit
from partnership.forms.ideas import IdeaCommentForm, PortalIdeaForm
from partnership.selectors import ideas as selectors
from partnership.services import ideas as services


class PortalIdeaListView(PortalRequiredMixin, View):
    """The company's improvement ideas, newest first, with a button to propose one."""

    def get(self, request):
        ideas = selectors.idea_list(user=request.user, status=request.GET.get("status", ""))
        return render(request, "portal/partnership_ideas.html", {"ideas": ideas[:100]})


class PortalIdeaCreateView(PortalRequiredMixin, View):
    """Propose an improvement idea to the buyer."""

    def get(self, request):
        return self.render(PortalIdeaForm(user=request.user, supplier_id=self.supplier.pk))

    def post(self, request):
        form = PortalIdeaForm(request.POST, user=request.user, supplier_id=self.supplier.pk)
        done = submit(
            request,
            form,
            lambda data: services.idea_propose(by=request.user, supplier=self.supplier, **data),
            _("Thank you: your idea was sent to the buyer."),
        )
        if done:
            return redirect("portal:partnership_idea_detail", pk=done.result.pk)
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, "portal/partnership_idea_form.html", {"form": form}, status=status)


class PortalIdeaDetailView(PortalRequiredMixin, View):
    """One of the company's ideas, its status and the comments; POST adds a comment."""

    def get(self, request, pk):
        idea = selectors.idea_get(user=request.user, pk=pk)  # 404 for another supplier's
        return self.render(idea, IdeaCommentForm())

    def post(self, request, pk):
        idea = selectors.idea_get(user=request.user, pk=pk)
        form = IdeaCommentForm(request.POST)
        if submit(
            request,
            form,
            lambda data: services.idea_comment(idea=idea, by=request.user, **data),
            _("Your comment was sent to the buyer."),
        ):
            return redirect("portal:partnership_idea_detail", pk=idea.pk)
        return self.render(idea, form, status=400)

    def render(self, idea, form, status=200):
        return render(
            self.request,
            "portal/partnership_idea_detail.html",
            {"idea": idea, "comments": selectors.idea_comments(idea=idea), "form": form},
            status=status,
        )
