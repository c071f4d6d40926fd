from django.contrib.auth import views as auth_views
from django.urls import path

from cairn.accounts import account_views, language, roster_views, signin_views, student_password_views, views
from cairn.accounts.passwords import ChangePasswordForm, ResetPasswordForm

# django.contrib.admin ships registration/password_*.html templates that come first in the template search,
# so each password view names Cairn's own.
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", signin_views.SignInView.as_view(), name="login"),
    path("login/verify/", signin_views.verify, name="two-factor-verify"),
    path("login/setup/", signin_views.setup, name="two-factor-setup"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", language.choose, name="choose-language"),
    path("account/", account_views.account, name="account"),
    path("account/two-step/", account_views.two_factor_status, name="two-factor"),
    path("account/two-step/recovery-codes/", account_views.recovery_codes, name="recovery-codes"),
    path("account/tokens/", account_views.api_tokens, name="api-tokens"),
    path("account/tokens/<int:token_id>/revoke/", account_views.revoke_api_token, name="revoke-api-token"),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(
            form_class=ChangePasswordForm, template_name="accounts/password_change_form.html"
        ),
        name="password_change",
    ),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.html",
            subject_template_name="accounts/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=ResetPasswordForm, template_name="accounts/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("student/", views.student_home, name="student-home"),
    path("guardian/", views.guardian_home, name="guardian-home"),
    path("teacher/", views.teacher_home, name="teacher-home"),
    path("school/", views.school_home, name="school-home"),
    path("district/", views.district_home, name="district-home"),
    path("platform/", views.platform_home, name="platform-home"),
    path("schools/<int:school_id>/", views.school_detail, name="school-detail"),
    path("sections/<int:section_id>/", views.section_detail, name="section-detail"),
    path(
        "sections/<int:section_id>/passwords/",
        student_password_views.section_passwords,
        name="section-passwords",
    ),
    path("students/<int:student_id>/", views.student_detail, name="student-detail"),
    path("districts/<int:district_id>/rosters/", roster_views.rosters, name="roster-list"),
    path("districts/<int:district_id>/course-rules/", roster_views.course_rules, name="roster-course-rules"),
    path(
        "districts/<int:district_id>/course-rules/<int:rule_id>/remove/",
        roster_views.delete_course_rule,
        name="roster-course-rule-delete",
    ),
    path("rosters/<int:import_id>/", roster_views.roster_import, name="roster-import"),
    path("rosters/<int:import_id>/progress/", roster_views.roster_progress, name="roster-progress"),
    path(
        "rosters/<int:import_id>/confirm/",
        roster_views.confirm_roster_import,
        name="roster-import-confirm",
    ),
]
