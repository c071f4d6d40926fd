"""Everything a teacher changes from the insights pages, one module per thing: small groups, tiered tasks,
station plans, Today's one-click steps and path overrides for a class.

Each function checks that the person teaches the section now (``Forbidden`` otherwise), validates its input
and writes in one transaction. A bad value, or an id in the input that names nothing usable, is ``Invalid``
naming the field, and changes nothing; a request the thing's current state doesn't allow (regrouping a group
nobody needs any more) is a ``Conflict``.
"""
