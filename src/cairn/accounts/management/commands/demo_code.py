from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from cairn.accounts.demo import DEMO_TOTP_KEY, DEMO_TWO_FACTOR_USERNAMES
from cairn.accounts.models import User


class Command(BaseCommand):
    help = (
        "Print the demo district admin's current second-step code (from the demo's published secret), so the "
        "demo can be tried without an authenticator app. Refused unless that admin uses the demo's secret."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        demo_admins = User.objects.filter(
            username__in=DEMO_TWO_FACTOR_USERNAMES, totpdevice__key=DEMO_TOTP_KEY, totpdevice__confirmed=True
        )
        if not demo_admins.exists():
            raise CommandError("No demo admin with the demo's authenticator secret here (run `cairn demo`).")
        self.stdout.write(f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}")
