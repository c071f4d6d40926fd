"""Cairn: an open-source personalized learning platform for K-12 schools.

Two layers: :mod:`cairn.engine` is the pure core (learner models, planning, evaluation; no Django),
and the Django apps (:mod:`cairn.accounts`, ...) wrap it for people and other systems.
"""

__version__ = "0.1.0"
