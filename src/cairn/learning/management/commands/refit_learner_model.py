from django.core.management.base import BaseCommand

from cairn.learning.tasks import refit_learner_model


class Command(BaseCommand):
    help = "Refit the learner model (BKT per competency) from every student's first-try answers."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        result = refit_learner_model()
        self.stdout.write(
            self.style.SUCCESS(
                f"Refitted {result['competencies']} competencies from {result['answers']} answers "
                "(the others keep the priors)."
            )
        )
