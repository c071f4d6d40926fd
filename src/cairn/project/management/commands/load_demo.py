import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cairn.accounts.demo import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    DEMO_TWO_FACTOR_USERNAMES,
    demo_logins,
    seed_demo_district,
)
from cairn.accounts.models import Enrolment, Section, User
from cairn.agency.autonomy_demo import seed_demo_autonomy
from cairn.agency.services import set_goal
from cairn.agency.voice_demo import seed_demo_voice
from cairn.curriculum.demo import seed_demo_curriculum
from cairn.families.demo import seed_demo_families
from cairn.insights import grid, selectors, today
from cairn.insights.demo import seed_demo_tiered_task
from cairn.leaders.demo import seed_demo_leaders
from cairn.leaders.teacher_demo import seed_teacher_paths
from cairn.learning import learner
from cairn.learning.demo import Cast, seed_demo_profile, seed_learning_history
from cairn.surveys.demo import seed_demo_surveys


class Command(BaseCommand):
    help = "Load the demo district (deterministic; a second run changes nothing) and print its logins."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--weeks", type=int, default=3, help="weeks of learning history to replay")
        parser.add_argument(
            "--sections",
            nargs="*",
            help="replay only these classes' students (section codes, e.g. RES-M4A): a smaller demo",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="load the demo even though the database holds people who are not the demo's",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not options["force"] and (real := real_people()):
            raise CommandError(
                f"This database holds people who are not the demo's ({', '.join(real)}). "
                f"The demo adds about 300 accounts that share one published "
                f"password ({DEMO_PASSWORD}); load it only into a database of its own, or pass --force."
            )
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

        history = seed_learning_history(
            weeks=options["weeks"], seed=options["seed"], sections=options["sections"], progress=progress
        )
        bar.close()
        answers = history.answers
        if answers:
            set_goals(history.cast)
        self.stdout.write(self.style.SUCCESS(f"Demo learning history ready: {answers} answers"))
        if answers:
            fit = learner.refit()
            self.stdout.write(
                f"Learner model fitted on {fit['answers']} answers ({fit['competencies']} competencies)"
            )
        if goals := seed_demo_leaders(district):
            self.stdout.write(self.style.SUCCESS(f"Demo leaders' side ready: a definition and {goals} goals"))
        if evidence := seed_teacher_paths(district):  # after the definition: its practices are the course
            self.stdout.write(f"Demo teachers' paths: {evidence} pieces of practice evidence")
        if surveyed := seed_demo_surveys(district):
            self.stdout.write(self.style.SUCCESS(f"Demo surveys ready: {surveyed} sets of answers"))
        if heard := seed_demo_voice():  # issue 14: a stuck reflection on Today, a reply on a student's home
            self.stdout.write(f"Demo student voice: {heard} messages to mrivera's class, one answered")
        rated = seed_demo_autonomy(history.cast if answers else None)  # issue 14: learning skills
        self.stdout.write(f"Demo learning skills: the framework and its lessons, {rated} teacher ratings")
        if (planned := seed_demo_profile()) is not None:  # issue 14: a learning plan, a task on the board
            seed_demo_tiered_task(planned.username)
            self.stdout.write(f"Demo learner profile: {planned.username} (Spanish, read aloud, larger text)")
        families = seed_demo_families(district)  # after the history: the digest tells last week
        self.stdout.write(
            f"Demo families: {families.notes} notes from teachers; {families.digests} weekly digests written "
            f"to {families.outbox} (read them there; guardian026 reads Spanish)"
        )
        if story := first_class_story():
            self.stdout.write(story)
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in demo_logins():
            self.stdout.write(f"  {login.role:<15} {login.username:<22} {login.name}")
        self.stdout.write(
            f"District admins sign in in two steps: after the password, type the code an authenticator app "
            f"shows for the secret {DEMO_TOTP_SECRET} (accounts: {', '.join(DEMO_TWO_FACTOR_USERNAMES)}), "
            f"or the code `cairn manage demo_code` prints."
        )


# The demo's students and guardians are numbered (student001, guardian001, ...); everyone else it creates
# is named in demo_logins().
_NUMBERED_DEMO_USERNAME = r"^(student|guardian)[0-9]{3}$"


def real_people(limit: int = 3) -> list[str]:
    """Usernames (up to ``limit``) of accounts the demo did not create: people a district registered. Demo
    accounts share a published password, so loading them beside real people opens a door into a real
    district's data."""
    demo_names = {login.username for login in demo_logins()}
    others = (
        get_user_model()
        .objects.exclude(username__in=demo_names)
        .exclude(username__regex=_NUMBERED_DEMO_USERNAME)
        .order_by("username")
        .values_list("username", flat=True)
    )
    return list(others[:limit])


def set_goals(cast: Cast, day: dt.date | None = None) -> None:
    """This week's goals of the cast's goal setters: an ambitious one for those who are behind on it, a
    modest one for those on track."""
    for ids, competencies, minutes, note in [
        (cast.behind, 4, 240, "I want to finish my fractions this week."),
        (cast.on_track, 1, 30, "One new standard and a bit of practice every day."),
    ]:
        for student in User.objects.filter(pk__in=sorted(ids)):
            set_goal(student, competencies, minutes, note, today=day)


def first_class_story() -> str:
    """What the demo's first teacher (mrivera) finds in their first class today: the kinds of action on
    Today and how many students the class view's Stuck and Not-active filters show (a test reads it)."""
    section = (
        Section.objects.filter(enrolments__user__username="mrivera", enrolments__kind=Enrolment.Kind.TEACHER)
        .order_by("code")
        .first()
    )
    if section is None:
        return ""
    state = selectors.class_state(section)
    kinds = [str(action.kind) for action in today.today_actions(state)]
    stuck = len(grid.build(state, {"show": "stuck"}).rows)
    idle = len(grid.build(state, {"show": "inactive"}).rows)
    return (
        f"{section.name} on Today: {', '.join(kinds) or 'no actions'}; "
        f"class view: {stuck} stuck, {idle} not active of {len(state.students)}"
    )
