from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Families' data rights and the audit trail's pages: exports, erasure, requests, retention, "who saw this
    student's data". It sits above every app it exports from; what apps call (declaring personal data,
    writing an audit event) sits low, in ``cairn.core``, and apps never import this app."""

    name = "cairn.privacy"
    label = "privacy"
