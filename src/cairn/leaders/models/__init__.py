"""Leaders' tables, one module per part of the work (see /docs/architecture.md). Each module's models are
imported here so Django sees them; add one line per module."""

from cairn.leaders.models.goals import Definition, Goal, MeasureValue, SchoolTarget

__all__ = ["Definition", "Goal", "MeasureValue", "SchoolTarget"]
from cairn.leaders.models.equity import Demographics, GroupValue  # noqa: F401  (L2)
from cairn.leaders.models.scores import OutsideScore, ProgramSchool  # noqa: F401  (L2)
from cairn.leaders.models.teacher_paths import PracticeEvidence, PracticeFocus  # noqa: F401  (paths)
from cairn.leaders.models.teachers import PathSharing  # noqa: F401  (teachers' paths)
from cairn.leaders.models.walkthroughs import Walkthrough, WalkthroughMark  # noqa: F401  (L4)
