"""What a fresh production database needs before anyone signs in (`manage.py setup`); safe to run again.

Product categories, a standard audit checklist, the default KPI targets and the first administrator. Each step
creates only what is missing and never changes what an administrator has since edited.
"""

from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from audits.models import ChecklistQuestion, ChecklistSection, ChecklistTemplate
from scorecards.models import DEFAULT_TARGETS, KpiTarget
from suppliers.models import ProductCategory

CATEGORIES = [
    "Apparel",
    "Footwear",
    "Electronics",
    "Home textiles",
    "Furniture",
    "Packaging",
    "Metal parts",
    "Plastics",
]
CHECKLIST_NAME = "Factory quality and social audit"
CHECKLIST = {
    "Quality management": [
        ("Documented quality manual and procedures", 2),
        ("Incoming material inspection", 3),
        ("Calibrated measuring equipment", 2),
        ("Non-conforming product segregated", 3),
    ],
    "Production": [
        ("Work instructions at every station", 2),
        ("In-line QC checkpoints", 3),
        ("Preventive maintenance records", 1),
    ],
    "Social and safety": [
        ("Fire exits clear and marked", 3),
        ("Working hours within the legal limit", 3),
        ("No child or forced labour", 3),
        ("Protective equipment worn", 2),
    ],
}


@transaction.atomic
def categories_ensure() -> int:
    """Create the standard product categories that are missing; return how many were created."""
    return sum(ProductCategory.objects.get_or_create(name=name)[1] for name in CATEGORIES)


@transaction.atomic
def checklist_ensure() -> int:
    """Create the standard audit checklist when no template of that name exists; return 1 if created."""
    template, created = ChecklistTemplate.objects.get_or_create(name=CHECKLIST_NAME)
    if not created:
        return 0
    for position, (title, questions) in enumerate(CHECKLIST.items()):
        section = ChecklistSection.objects.create(template=template, title=title, position=position)
        ChecklistQuestion.objects.bulk_create(
            ChecklistQuestion(section=section, text=text, weight=weight, position=q_position)
            for q_position, (text, weight) in enumerate(questions)
        )
    return 1


@transaction.atomic
def targets_ensure() -> int:
    """Create the default target of each KPI that has none (an edited default is kept); return how many."""
    existing = set(
        KpiTarget.objects.filter(category__isnull=True, supplier__isnull=True).values_list("kpi", flat=True)
    )
    missing = [
        KpiTarget(kpi=kpi, value=value) for kpi, value in DEFAULT_TARGETS.items() if kpi not in existing
    ]
    for target in missing:
        target.save()  # one by one, so that the history records each
    return len(missing)


def administrator_exists() -> bool:
    """Tell whether an active administrator exists."""
    return User.objects.filter(role=Role.ADMIN, is_active=True).exists()


def administrator_create(*, email: str, password: str, full_name: str) -> User:
    """Create the first administrator (who may use /admin/)."""
    return User.objects.create_superuser(email, password, full_name=full_name)
