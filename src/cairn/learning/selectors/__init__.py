"""Everything in learning that only reads, shared by views, APIs and the apps above: ``path`` (a student's
path and the class-wide evaluation), ``board`` (the choice board), ``overrides`` (who may change a path,
and the teacher's marks on it), ``policy`` (the mastery policy in force) and ``release_rules``.
Writes live in :mod:`cairn.learning.services`."""
