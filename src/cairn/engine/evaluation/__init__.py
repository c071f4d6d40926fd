"""Offline evaluation of learner models: metrics, the next-answer protocol, per-skill views, curves."""
