"""The factory's own reference letters in the portal: the list, and each letter's PDF (404 for another's)."""

from django.shortcuts import render
from django.views import View

from accounts.permissions import PortalRequiredMixin
from core.views import paginate
from scorecards.letters import selectors
from scorecards.letters.pdf import letter_pdf_response


class PortalLetterListView(PortalRequiredMixin, View):
    """The reference letters the buyer issued for the factory, latest first, with their validity."""

    def get(self, request):
        page, query = paginate(request, selectors.letter_list(user=request.user))
        return render(request, "portal/letter_list.html", {"page": page, "query": query})


class PortalLetterPdfView(PortalRequiredMixin, View):
    """Download one of the factory's own letters (in English, as issued); 404 once it was revoked."""

    def get(self, request, pk):
        letter = selectors.letter_get(user=request.user, pk=pk)  # 404 for another supplier's
        return letter_pdf_response(selectors.letter_downloadable(user=request.user, letter=letter))
