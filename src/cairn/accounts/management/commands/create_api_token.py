from django.core.management.base import BaseCommand, CommandError

from cairn.accounts.models import User
from cairn.accounts.services import create_api_token


class Command(BaseCommand):
    help = "Create an API bearer token for a person and print it (it is shown only once)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="a label for the token")
        parser.add_argument("--days", type=int, default=None, help="days it answers (default 90)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No person with username {options['username']!r}.")
        self.stdout.write(create_api_token(user, options["name"], days=options["days"]))
