"""First run in production: `manage.py setup` creates what a fresh database needs; safe to run again."""

import getpass
import os
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from config import first_run


class Command(BaseCommand):
    help = (
        "Create what a fresh database needs: product categories, the standard audit checklist, default KPI "
        "targets and the first administrator (from FORGELINE_ADMIN_EMAIL, FORGELINE_ADMIN_PASSWORD and "
        "FORGELINE_ADMIN_NAME, or asked for). Only what is missing is created; running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Never ask for anything.",
        )

    def handle(self, *args, interactive=True, **options):
        self.stdout.write(f"product categories created: {first_run.categories_ensure()}")
        self.stdout.write(f"checklist templates created: {first_run.checklist_ensure()}")
        self.stdout.write(f"default KPI targets created: {first_run.targets_ensure()}")
        if first_run.administrator_exists():
            self.stdout.write("administrator: one exists already")
        else:
            user = first_run.administrator_create(**self.administrator_details(interactive))
            self.stdout.write(f"administrator created: {user.email}")
        self.stdout.write(self.style.SUCCESS("Setup done."))

    def administrator_details(self, interactive: bool) -> dict:
        """Read the first administrator from the environment, or ask for it on a terminal."""
        email = os.environ.get("FORGELINE_ADMIN_EMAIL", "").strip()
        password = os.environ.get("FORGELINE_ADMIN_PASSWORD", "")
        full_name = os.environ.get("FORGELINE_ADMIN_NAME", "").strip() or "Administrator"
        if not (email and password):
            if not (interactive and sys.stdin.isatty()):
                raise CommandError(
                    "No administrator exists: set FORGELINE_ADMIN_EMAIL and FORGELINE_ADMIN_PASSWORD, "
                    "or run `manage.py setup` on a terminal to be asked."
                )
            email = email or input("Administrator's email: ").strip()
            full_name = input(f"Full name [{full_name}]: ").strip() or full_name
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("The password is refused: " + " ".join(exc.messages)) from exc
        return {"email": email, "password": password, "full_name": full_name}
