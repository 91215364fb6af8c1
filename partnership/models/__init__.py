"""The partnership ledger's models, one module per record kind."""

from .ideas import IdeaComment, IdeaKind, ImprovementIdea, Side  # noqa: F401
from .training import CommunityProgramme, Training  # noqa: F401
