from django.core.management.base import BaseCommand

from cairn.learning.tasks import refit_learner_model


class Command(BaseCommand):
    help = (
        "Refit the app's learner model from every student's first-try answers; the engine keeps the "
        "candidate that validates best on held-out students."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        result = refit_learner_model()
        if not result["answers"]:
            self.stdout.write("No answers yet: the model keeps running on its priors.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Refitted on {result['answers']} answers: {result['chosen']} predicts, and "
                f"{result['competencies']} competencies have parameters of their own (the others keep the "
                "population's)."
            )
        )
