from django.core.management.base import BaseCommand, CommandError

from cairn.assessments.services.calibration import calibrate
from cairn.core.errors import Invalid


class Command(BaseCommand):
    help = (
        "Calibrate item parameters (IRT, with standard errors) from every finished diagnostic's answers. "
        "Items with too few answers keep their priors; misfitting items are flagged for review."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--model", choices=["2PL", "3PL"], default="2PL")
        parser.add_argument(
            "--min-responses", type=int, default=50, help="answers an item needs to leave its priors"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            summary = calibrate(model=options["model"], min_responses=options["min_responses"])
        except Invalid as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(summary.message))
        for identifier, reason in summary.flagged:
            self.stdout.write(f"  flagged {identifier}: {reason}")
