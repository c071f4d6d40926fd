from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "cairn.insights"
    label = "insights"
    verbose_name = "Teacher insights"

    def ready(self) -> None:
        from cairn.insights import board_tasks
        from cairn.learning import board_sources

        board_sources.register(board_tasks.SOURCE, board_tasks.tasks_for_board)  # "Your task" on the board
