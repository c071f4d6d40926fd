"""Everything in learning that writes, one module per entity: ``questions`` (serving and hints),
``practice`` (the answer loop), ``outcomes`` (what an answer changes, by the mastery policy), ``mastery``
(recording a mastery), ``board`` (choices and finished activities), ``overrides`` (a teacher's changes to a
path), ``release_rules``, ``policy`` (a district's mastery policy) and ``placement`` (a diagnostic's seed).
Reads live in :mod:`cairn.learning.selectors`.

Import the module you need (``from cairn.learning.services import practice``); this package re-exports
nothing, so importing one service never drags in the others."""
