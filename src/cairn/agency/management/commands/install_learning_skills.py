from django.core.management.base import BaseCommand

from cairn.agency.autonomy_services import install_framework


class Command(BaseCommand):
    help = "Install (or update) the shipped Learning skills framework and its lessons, for every district."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        done = install_framework()
        self.stdout.write(
            self.style.SUCCESS(
                f"{done.framework.title}: {done.competencies} skills, "
                f"{done.lessons} lessons (English and Spanish)"
            )
        )
