from django.apps import AppConfig


class AgencyConfig(AppConfig):
    name = "cairn.agency"
    label = "agency"
    verbose_name = "Student agency"

    def ready(self) -> None:
        from cairn.agency import board_lessons
        from cairn.learning import board_sources

        board_sources.register(board_lessons.SOURCE, board_lessons.board_lesson)
