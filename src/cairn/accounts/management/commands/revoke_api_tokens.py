from django.core.management.base import BaseCommand, CommandError

from cairn.accounts.models import User
from cairn.accounts.services import revoke_api_tokens


class Command(BaseCommand):
    help = "Revoke a person's API tokens: all of them (--all) or those with one name (--name)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="every live token of the person")
        which.add_argument("--name", help="the tokens with this name")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No person with username {options['username']!r}.")
        count = revoke_api_tokens(user=user, name=None if options["all"] else options["name"])
        if not count:
            raise CommandError("No live token matched; nothing was revoked.")
        self.stdout.write(f"Revoked {count} token{'s' if count != 1 else ''} of {user.username}.")
