"""Staff pages of improvement ideas: the list with filters, proposing one, and an idea's page where staff move it
through the review, record the implementation and realised saving, keep an internal note and comment."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import StaffRequiredMixin
from core.inputs import is_id
from core.views import paginate, submit
from suppliers.models import Supplier

from ..forms.ideas import (
    IdeaCommentForm,
    IdeaImplementationForm,
    IdeaNoteForm,
    IdeaTransitionForm,
    StaffIdeaForm,
)
from ..models import IdeaKind, ImprovementIdea
from ..selectors import ideas as selectors
from ..services import ideas as services


class IdeaListView(StaffRequiredMixin, View):
    """Every improvement idea, newest first, filtered by supplier, status and kind."""

    def get(self, request):
        supplier = None
        if is_id(raw := request.GET.get("supplier", "")):
            supplier = Supplier.objects.visible_to(request.user).filter(pk=int(raw)).first()
        status, kind = request.GET.get("status", ""), request.GET.get("kind", "")
        ideas = selectors.idea_list(
            user=request.user, supplier_id=supplier.pk if supplier else None, status=status, kind=kind
        )
        page, query = paginate(request, ideas, per_page=25)
        return render(
            request,
            "partnership/ideas/list.html",
            {
                "page": page,
                "query": query,
                "supplier": supplier,
                "status": status,
                "kind": kind,
                "statuses": ImprovementIdea.Status.choices,
                "kinds": IdeaKind.choices,
                "suppliers": Supplier.objects.visible_to(request.user).order_by("name").only("pk", "name"),
                "can_edit": request.user.can(services.EDIT),
            },
        )


class IdeaCreateView(StaffRequiredMixin, View):
    """Propose an idea to a supplier from the buyer's side."""

    capability = services.EDIT

    def get(self, request):
        initial = {"supplier": request.GET["supplier"]} if is_id(request.GET.get("supplier", "")) else {}
        return self.render(StaffIdeaForm(user=request.user, initial=initial))

    def post(self, request):
        form = StaffIdeaForm(request.POST, user=request.user)
        done = submit(
            request,
            form,
            lambda data: services.idea_propose(by=request.user, **data),
            _("Idea recorded; the factory was told."),
        )
        if done:
            return redirect(done.result)
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, "partnership/ideas/form.html", {"form": form}, status=status)


class IdeaDetailView(StaffRequiredMixin, View):
    """One idea: its review, implementation, internal note and comments. POST `action` picks the form."""

    FORMS = {
        "transition": IdeaTransitionForm,
        "implement": IdeaImplementationForm,
        "note": IdeaNoteForm,
        "comment": IdeaCommentForm,
    }

    def get(self, request, pk):
        return self.render(selectors.idea_get(user=request.user, pk=pk))

    def post(self, request, pk):
        idea = selectors.idea_get(user=request.user, pk=pk)
        action = request.POST.get("action", "")
        if action not in self.FORMS:
            return self.render(idea, status=400)
        if action != "comment" and not request.user.can(services.EDIT):
            return self.render(idea, status=403)
        form = self.FORMS[action](request.POST, prefix=action)
        services_by_action = {
            "transition": lambda data: services.idea_transition(
                idea=idea, by=request.user, to=data["status"], decline_reason=data["decline_reason"]
            ),
            "implement": lambda data: services.idea_record_implementation(idea=idea, by=request.user, **data),
            "note": lambda data: services.idea_note_update(idea=idea, by=request.user, **data),
            "comment": lambda data: services.idea_comment(idea=idea, by=request.user, **data),
        }
        if submit(request, form, services_by_action[action], _("Saved.")):
            return redirect(idea)
        idea.refresh_from_db()
        return self.render(idea, **{action: form}, status=400)

    def render(self, idea, status=200, **bound):
        forms = {
            name: bound.get(name) or form_class(prefix=name, initial=self.initial(idea, name))
            for name, form_class in self.FORMS.items()
        }
        Status = ImprovementIdea.Status
        return render(
            self.request,
            "partnership/ideas/detail.html",
            {
                "idea": idea,
                "comments": selectors.idea_comments(idea=idea),
                "forms": forms,
                "can_edit": self.request.user.can(services.EDIT),
                "can_move": bool(services.TRANSITIONS[idea.status] - {Status.IMPLEMENTED}),
                "can_implement": idea.status in (Status.ACCEPTED, Status.IMPLEMENTED),
            },
            status=status,
        )

    @staticmethod
    def initial(idea, name) -> dict:
        if name == "note":
            return {"review_note": idea.review_note}
        if name == "implement" and idea.implemented_on:
            return {"implemented_on": idea.implemented_on, "realised_saving": idea.realised_saving}
        return {}
