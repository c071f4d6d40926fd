from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "cairn.learning"
    label = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        # Curriculum tells the teachers of sections that used content whose link broke; which sections used
        # it is this app's knowledge, registered here (the lower app never imports upward).
        from cairn.curriculum.services.notices import register_section_finder
        from cairn.learning.selectors.board import sections_using

        register_section_finder(sections_using)
