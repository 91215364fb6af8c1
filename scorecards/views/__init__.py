"""Staff pages of the scorecards app, one module per area; urls.py reads them from here."""

from .contests import ContestDetailView, ContestListView
from .digest import DigestPreferencesView, DigestPreviewPdfView, DigestPreviewView
from .flags import FlagBulkView, FlagDetailView, FlagListView
from .letters import LetterIssueView, LetterPdfView, LetterRevokeView, letter_verify
from .pilots import PilotCreateView, PilotDetailView, PilotListView
from .playbooks import ContractReviewDecideView, FlagPlaybookView, PlaybookEffectivenessView
from .scorecards import KpiBehindView, PortfolioView, SupplierScorecardView

__all__ = [
    "ContestDetailView",
    "ContestListView",
    "ContractReviewDecideView",
    "DigestPreferencesView",
    "DigestPreviewPdfView",
    "DigestPreviewView",
    "FlagBulkView",
    "FlagDetailView",
    "FlagListView",
    "FlagPlaybookView",
    "KpiBehindView",
    "LetterIssueView",
    "LetterPdfView",
    "LetterRevokeView",
    "PilotCreateView",
    "PilotDetailView",
    "PilotListView",
    "PlaybookEffectivenessView",
    "PortfolioView",
    "SupplierScorecardView",
    "letter_verify",
]
