"""Load the demo: staff users of every role, ~30 suppliers across seven countries and every stage with their
vetting evidence, and portal logins for three factories. Running it again changes nothing."""

import random
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import CalendarFeed, User
from accounts.roles import Role
from accounts.services import calendar_feed_regenerate
from audits import services as quality
from core.clock import business_today
from demo import contact, events
from demo import dates as demo_dates
from demo import history as demo
from demo.capability import seed_capability
from demo.catalogue import (
    CATEGORIES,
    MIXED_REFERENCES,
    PATHS,
    PORTAL_USERS,
    REASONS,
    RUNNING_PILOTS,
    STAFF,
    SUPPLIERS,
    WAIVER_REASON,
)
from demo.contests import contests_open_and_decided
from demo.files import demo_pdf
from demo.flags import seed_flag_notes, seed_playbook_action
from demo.forecasts import forecast_with_answers
from demo.ideas import seed_ideas
from demo.imports import seed_import_preview
from demo.integrations import seed_integrations
from demo.invitations import seed_invitations
from demo.letters import seed_reference_letter
from demo.outreach import seed_outreach
from demo.payments import seed_payments
from demo.pricing import seed_pricing
from demo.production import order_in_production
from demo.purchase_orders import multi_line_order, pdf_path
from demo.registrations import INVITED as INVITED_FACTORY
from demo.registrations import registration_link, seed_registrations
from demo.switching import sku_on_reduced, sku_on_tightened
from demo.verification import seed_verification
from demo.visits import seed_visits
from scorecards import services as scorecard_services
from scorecards.letters.tokens import verification_url
from suppliers import services
from suppliers.gates import evaluate_gates
from suppliers.models import (
    CapacityAssessment,
    CertificationStandard,
    ClientReference,
    Contact,
    Incoterm,
    ProductCategory,
    Segment,
    Stage,
    Supplier,
)
from suppliers.triggers import muted

DEMO_PASSWORD = "forgeline-demo"
# The demo manager's and administrator's authenticator-app key (their roles require a second factor). It is
# public, like the password: add it to any authenticator app, or run `make totp` for the current code.
DEMO_TOTP_SECRET = "FORGELINEDEMO234FORGELINEDEMO234"


class Command(BaseCommand):
    help = "Load demo users and suppliers (idempotent: existing rows are left as they are)."

    def handle(self, *args, **options):
        # The demo's logins share one published password: never on a server people rely on.
        if not settings.FORGELINE_DEMO_ALLOWED:
            raise CommandError(
                "seed_demo refuses to run here: these settings do not allow demo data "
                "(FORGELINE_DEMO_ALLOWED is False, as in production). It creates logins whose password is in the "
                "README. Use config.settings.local for a demo."
            )
        with transaction.atomic(), muted():
            staff = self.create_staff()
            categories = {name: ProductCategory.objects.get_or_create(name=name)[0] for name in CATEGORIES}
            created = 0
            for index, row in enumerate(SUPPLIERS):
                if not Supplier.objects.filter(name=row[0]).exists():
                    self.create_supplier(index, row, staff, categories)
                    created += 1
            seed_registrations(buyer=staff[Role.PROCUREMENT])
            if created:  # before the scan below, which raises its verification-due flag
                seed_verification(manager=staff[Role.MANAGER])
            seed_pricing(buyer=staff[Role.PROCUREMENT])
        if created:
            # A year of weekly KPI snapshots for the trend charts, then the red flags as the nightly scan raises them.
            call_command("backfill_scorecards", weeks=52, stdout=self.stdout)
            with muted():  # the scan below evaluates the visit due
                visited = seed_visits(manager=staff[Role.MANAGER], quality=staff[Role.QUALITY])
            call_command("scan_red_flags", stdout=self.stdout)
            if visited is not None:
                self.stdout.write(
                    f"A site visit due (Site visit due flag, Visits due list): {visited.supplier.name}, "
                    f"last visited {visited.performed_on}: {visited.get_absolute_url()}#visit-report"
                )
            seed_flag_notes(buyer=staff[Role.PROCUREMENT], quality=staff[Role.QUALITY])
            seed_playbook_action(buyer=staff[Role.PROCUREMENT])
            seed_import_preview(buyer=staff[Role.PROCUREMENT])
            seed_integrations(admin=staff[Role.ADMIN], buyer=staff[Role.PROCUREMENT])
            seed_capability(buyer=staff[Role.PROCUREMENT], quality=staff[Role.QUALITY])
            if letter := seed_reference_letter(buyer=staff[Role.PROCUREMENT]):
                self.stdout.write(
                    f"A reference letter for {letter.supplier_name} (on its scorecard); "
                    f"its verification link: {verification_url(letter)}"
                )
            seed_outreach(buyer=staff[Role.PROCUREMENT])  # announcements read, a product invitation

        # The stored KPI rows the portfolio reads, every window as of now (a second run brings them up to date).
        now = timezone.now()
        scorecard_services.current_kpis_refresh(today=business_today(now), now=now, every_window=True)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready ({created} suppliers created). Password: {DEMO_PASSWORD}")
        )
        self.stdout.write(
            f"Manager and admin sign in with a second factor: authenticator-app key {DEMO_TOTP_SECRET} "
            "(or `make totp` prints the current code)."
        )
        # Bea Buyer's calendar feed is on, so that a newcomer sees the address on her profile page.
        buyer = staff[Role.PROCUREMENT]
        feed = CalendarFeed.objects.filter(user=buyer).first() or calendar_feed_regenerate(user=buyer)
        self.stdout.write(
            f"{buyer.full_name}'s calendar feed: {settings.FORGELINE_BASE_URL}"
            f"{reverse('calendar_feed', args=[feed.token])}"
        )
        if link := registration_link():
            self.stdout.write(
                f"A factory's registration form, as {INVITED_FACTORY} received it by email: {link}"
            )

    def create_staff(self) -> dict[str, User]:
        users = {}
        for email, name, role, tz in STAFF:
            user = User.objects.filter(email=email).first()
            if user is None:
                extra = {"is_staff": True, "is_superuser": True} if role == Role.ADMIN else {}
                user = User.objects.create_user(
                    email, DEMO_PASSWORD, full_name=name, role=role, timezone=tz, **extra
                )
            users.setdefault(role, user)  # the first of a role (Bea Buyer for procurement)
        users["buyer2"] = User.objects.get(email="buyer2@forgeline.example")
        for user in users.values():
            if user.mfa_required:
                self.enrol_demo_totp(user)
        return users

    def enrol_demo_totp(self, user: User) -> None:
        """Give a demo user who must have a second factor the demo's authenticator-app key (once)."""
        from allauth.mfa.models import Authenticator
        from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
        from allauth.mfa.totp.internal.auth import TOTP

        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
            RecoveryCodes.activate(user)

    def create_portal_user(self, supplier) -> User | None:
        for email, name, supplier_name, language, tz in PORTAL_USERS:
            if supplier_name == supplier.name:
                return User.objects.create_user(
                    email,
                    DEMO_PASSWORD,
                    full_name=name,
                    role=Role.SUPPLIER,
                    supplier=supplier,
                    language=language,
                    timezone=tz,
                )
        return None

    def create_supplier(self, index, row, staff, categories) -> None:
        name, country, city, tz, category_names, target = row
        rng = random.Random(index)  # the same demo on every machine
        today = timezone.localdate()
        buyer = staff[Role.PROCUREMENT] if index % 3 else staff["buyer2"]
        manager = staff[Role.MANAGER]
        segment = Segment.STRATEGIC if target == Stage.STRATEGIC else rng.choice(list(Segment.values))
        supplier = services.supplier_create(
            by=buyer,
            name=name,
            legal_name=f"{name} Co., Ltd.",
            registration_number=f"{country}-{100000 + index * 7919}",
            country=country,
            city=city,
            timezone=tz,
            website=f"https://{name.split()[0].lower()}.example",
            segment=segment,
            project_manager=buyer,
            qc_lead=staff[Role.QUALITY],
            address=f"{rng.randint(1, 400)} Industrial Road\n{city}",
            categories=[categories[c] for c in category_names],
        )
        portal = self.create_portal_user(supplier)
        first = name.split()[0]
        phone = f"+{rng.randint(10, 99)} {rng.randint(1000000, 9999999)}"
        # The sales lead (primary), the QC manager, and the general manager the unanswered-issue playbook may copy
        # (in the factory's language, by its country).
        for title, role, mailbox, extra in (
            ("Sales Lead", Contact.Role.SALES, "sales", {"phone": phone, "is_primary": True}),
            ("QC Manager", Contact.Role.QUALITY, "qc", {}),
            ("General Manager", Contact.Role.GENERAL_MANAGER, "gm", {}),
        ):
            services.contact_save(
                supplier=supplier,
                by=buyer,
                name=f"{first} {title}",
                role=role,
                email=f"{mailbox}@{first.lower()}.example",
                **extra,
            )
        seed_invitations(supplier=supplier, buyer=buyer, password=DEMO_PASSWORD)
        if target == Stage.PROSPECT:
            return
        path = PATHS[target]
        # Evidence, in the order a buyer gathers it.
        mixed = name in MIXED_REFERENCES
        services.reference_save(
            supplier=supplier,
            by=buyer,
            company=rng.choice(["Nordic Home AB", "Atlas Retail GmbH", "Maple Goods Inc."]),
            contact_name="Head of sourcing",
            checked_on=today - timedelta(days=rng.randint(60, 400)),
            outcome=ClientReference.Outcome.MIXED if mixed else ClientReference.Outcome.POSITIVE,
            notes="Late twice last season, but quality is good."
            if mixed
            else "On time, responsive, fixes issues without being asked.",
        )
        services.reference_save(
            supplier=supplier, by=buyer, company="Second reference (to call)", contact_name=""
        )
        services.assessment_save(
            supplier=supplier,
            by=staff[Role.QUALITY],
            assessed_on=today - timedelta(days=rng.randint(30, 300)),
            revenue_band=rng.choice(list(CapacityAssessment.RevenueBand.values)),
            headcount=rng.randint(80, 2400),
            production_lines=rng.randint(2, 24),
            monthly_capacity=rng.randint(5, 200) * 1000,
            financial_risk=rng.choice(["low", "low", "medium", "high"]),
            equipment="Cutting, sewing, finishing lines",
        )
        standards = [
            CertificationStandard.ISO_9001,
            rng.choice(
                [
                    CertificationStandard.BSCI,
                    CertificationStandard.SMETA,
                    CertificationStandard.ISO_14001,
                    CertificationStandard.OEKO_TEX,
                ]
            ),
        ]
        for number, standard in enumerate(standards):
            # Some expire soon and some have expired, so the dashboard has something to chase.
            end_in_days = rng.choice([400, 300, 200, 25, 12, -20]) if number else rng.choice([500, 380, 270])
            services.certification_create(
                supplier=supplier,
                by=staff[Role.QUALITY],
                verified=True,
                standard=standard,
                number=f"{standard.upper()}-{rng.randint(10000, 99999)}",
                issuer=rng.choice(["SGS", "TÜV SÜD", "Bureau Veritas", "Intertek"]),
                valid_from=today + timedelta(days=end_in_days - 3 * 365),
                valid_until=today + timedelta(days=end_in_days),
                document=demo_pdf(f"{standard} certificate - {name}"),
            )
        if Stage.STRATEGIC in path or target in (Stage.APPROVED,):
            services.contract_save(
                supplier=supplier,
                by=buyer,
                title=f"Master supply agreement {today.year}",
                reference=f"MSA-{index:03d}",
                quality_standard="AQL 2.5 major / 4.0 minor, ISO 2859-1 level II; REACH compliant",
                lead_time_days=rng.choice([30, 45, 60]),
                incoterm=rng.choice([Incoterm.FOB, Incoterm.CIF, Incoterm.DAP]),
                payment_terms_days=rng.choice([30, 45, 60]),
                late_delivery_penalty="0.5 % per week late, capped at 5 %",
                confidentiality_ip="Designs and tooling remain the buyer's property; no sale to third parties.",
                volume_incentives="2 % rebate above 500,000 USD a year",
                valid_from=today - timedelta(days=200),
                signed_on=today - timedelta(days=205),
            )
        if index % 7 == 3:
            # A renewal uploaded in the portal, waiting for verification.
            services.certification_create(
                supplier=supplier,
                by=staff[Role.QUALITY],
                standard=CertificationStandard.SA8000,
                number="SA-PENDING",
                issuer="SAI",
                valid_from=today - timedelta(days=10),
                valid_until=today + timedelta(days=3 * 365),
            )
        history = demo.History(
            supplier=supplier,
            buyer=buyer,
            qc=staff[Role.QUALITY],
            manager=manager,
            portal=portal,
            rng=rng,
            today=today,
            index=index,
        )
        for stage in path:
            if stage == Stage.ON_HOLD:
                # On hold through the real route: a failed audit proposes it and a manager accepts.
                events.failed_audit_and_hold(history, accept=True)
                break
            history.before_stage(stage)
            supplier.refresh_from_db()
            # Where evidence is missing the manager waives it, with a reason, as happens in real life.
            missing = [
                r.code for r in evaluate_gates(supplier=supplier, stage=stage, today=today) if not r.passed
            ]
            services.supplier_change_stage(
                supplier=supplier,
                to_stage=stage,
                by=manager,
                reason=REASONS[stage],
                waive=missing,
                waiver_reason=WAIVER_REASON if missing else "",
                today=today,
            )
            supplier.refresh_from_db()
            if stage == Stage.APPROVED:
                history.volume_history()
            if stage == Stage.PILOT and target == Stage.PILOT and name in RUNNING_PILOTS:
                history.pilot(passed=False)
        self.add_story(history)
        seed_payments(supplier=supplier, buyer=buyer, manager=manager, portal=portal, rng=rng, today=today)
        demo_dates.backdate(supplier, today=today)

    def add_story(self, history) -> None:
        """The moments a newcomer should find in the demo."""
        name = history.supplier.name
        if history.supplier.stage in (Stage.APPROVED, Stage.STRATEGIC, Stage.ON_HOLD):
            # Friday check-ins meet New Year's Day; Indian ones meet Guru Nanak Jayanti on a Tuesday.
            contact.checkins(history, weekday=4 if history.index % 4 == 1 else 1)
            contact.past_issues(history)
        if name in (
            "Shenzhen Brightway Electronics",
            "Saigon Garment Joint Stock",
            "Tiruppur Cotton Works",
            "Xiamen Coastal Footwear",
        ):
            contact.issues(history)
        if name == "Shenzhen Brightway Electronics":
            contact.closure(history)
        if name == "Ningbo Harbor Plastics":
            events.failed_audit_and_hold(history, accept=None)  # a hold proposal waiting for a decision
        if name in ("Shenzhen Brightway Electronics", "Porto Calçado"):
            events.propose_date_on_an_open_delivery(history)
        if name == "Shenzhen Brightway Electronics":
            events.typhoon_excuses_a_late_delivery(history)
        if name == "Saigon Garment Joint Stock":
            contests_open_and_decided(history)  # one contest waiting for a manager, one decided
            events.buyer_changes_an_order(history)
            forecast_with_answers(history)  # two versions, a commitment and a shortfall with its reason
            # Improvement ideas (one implemented, on the scorecard), training (one corrected), a programme.
            seed_ideas(history)
            order = multi_line_order(history)
            self.stdout.write(
                f"A multi-line purchase order, {order.number}, with its PDF at {pdf_path(order)}"
            )
            producing = order_in_production(history)
            self.stdout.write(
                f"An order in production with its log and lots: {producing.get_absolute_url()}#production"
            )
            tightened = sku_on_tightened(history, producing)
            self.stdout.write(
                f"A SKU on tightened inspection ({tightened.explanation}): {tightened.get_absolute_url()}"
            )
            reduced = sku_on_reduced(history)
            self.stdout.write(
                f"A SKU on reduced inspection ({reduced.explanation}): {reduced.get_absolute_url()}"
            )
        if name in ("Shenzhen Brightway Electronics", "Saigon Garment Joint Stock"):
            events.lab_reports(history)
        if name == "Shenzhen Brightway Electronics":
            # Unannounced: the factory contact cannot see it anywhere until it is performed.
            quality.audit_plan(
                supplier=history.supplier,
                by=history.qc,
                audit_type="social",
                announced=False,
                planned_on=history.today + timedelta(days=20),
                template=demo.checklist_template(),
            )
