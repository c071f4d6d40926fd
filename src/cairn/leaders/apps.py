"""Leaders: the district's own definition of personalized learning, goals with measures, outside scores,
evidence of effect, implementation fidelity, equity and on/off track per school."""

from django.apps import AppConfig


class LeadersConfig(AppConfig):
    name = "cairn.leaders"
    label = "leaders"
    verbose_name = "Leaders"

    def ready(self) -> None:
        # Measures register themselves on import (cairn.leaders.measures); one line per module.
        from cairn.leaders import (
            fidelity,  # noqa: F401  (implementation fidelity, L4)
            measures,  # noqa: F401
            score_measures,  # noqa: F401  (outside scores, L2)
            survey_measures,  # noqa: F401  (survey scales, L3)
        )
