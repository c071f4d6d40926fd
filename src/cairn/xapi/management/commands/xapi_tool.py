from django.core.management.base import BaseCommand, CommandError

from cairn.accounts.models import District
from cairn.core.errors import CairnError
from cairn.curriculum.models import Competency
from cairn.xapi import tools


class Command(BaseCommand):
    help = (
        "Register a tool that may send xAPI statements to /xapi/statements for a district, and print its key "
        "and secret (shown only once); --map ACTIVITY_IRI=CODE makes that activity count on a competency."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--district", required=True, help="the district's slug")
        parser.add_argument("--name", help="the tool's name, shown on students' paths (omit to only --map)")
        parser.add_argument("--weight", type=float, default=0.5, help="a statement's weight, 0-1 (0.5)")
        parser.add_argument("--map", action="append", default=[], metavar="ACTIVITY_IRI=CODE")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        district = District.objects.filter(slug=options["district"]).first()
        if district is None:
            raise CommandError(f"No district with slug {options['district']!r}.")
        try:
            if options["name"]:
                tool, secret = tools.register_tool(
                    district=district, name=options["name"], weight=options["weight"]
                )
                self.stdout.write(
                    f"endpoint: {{CAIRN_BASE_URL}}/xapi/statements\nkey: {tool.key}\nsecret: {secret}"
                )
            for pair in options["map"]:
                activity, _, code = pair.rpartition("=")
                competency = Competency.objects.filter(code=code).first()
                if not activity or competency is None:
                    raise CommandError(
                        f"--map {pair!r}: give ACTIVITY_IRI=CODE with a known competency code."
                    )
                tools.map_activity(district=district, activity_id=activity, competency=competency)
                self.stdout.write(f"mapped {activity} -> {code}")
        except CairnError as error:
            raise CommandError(error.message) from error
