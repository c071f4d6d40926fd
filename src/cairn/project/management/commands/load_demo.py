from django.core.management.base import BaseCommand
from tqdm import tqdm

from cairn.accounts.demo import DEMO_PASSWORD, demo_logins, seed_demo_district
from cairn.curriculum.demo import seed_demo_curriculum
from cairn.learning import learner
from cairn.learning.demo import seed_learning_history


class Command(BaseCommand):
    help = "Load the demo district (deterministic; a second run changes nothing) and print its logins."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--weeks", type=int, default=4, help="weeks of learning history to replay")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        district = seed_demo_district(seed=options["seed"])
        self.stdout.write(self.style.SUCCESS(f"Demo district ready: {district.name}"))
        curriculum = seed_demo_curriculum()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo curriculum ready: {curriculum.competencies} competencies, "
                f"{curriculum.prerequisites} prerequisites, {curriculum.item_templates} item templates "
                f"({curriculum.distinct_items} distinct items), {curriculum.content} activities"
            )
        )
        self.stdout.write("Replaying the demo students' past weeks through the practice services…")
        bar = tqdm(total=0, unit=" student-days", leave=False, disable=options["verbosity"] < 1)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        answers = seed_learning_history(weeks=options["weeks"], seed=options["seed"], progress=progress)
        bar.close()
        self.stdout.write(self.style.SUCCESS(f"Demo learning history ready: {answers} answers"))
        if answers:
            fit = learner.refit()
            self.stdout.write(
                f"Learner model fitted on {fit['answers']} answers ({fit['competencies']} competencies)"
            )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in demo_logins():
            self.stdout.write(f"  {login.role:<15} {login.username:<22} {login.name}")
