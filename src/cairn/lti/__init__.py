"""LTI 1.3 (LTI Advantage): Cairn as a tool inside a district's LMS: launches, deep linking, grades back
(AGS) and course membership (NRPS), on django-lti / pylti1p3."""
