from django.contrib.auth import views as auth_views
from django.urls import path

from cairn.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("student/", views.student_home, name="student-home"),
    path("guardian/", views.guardian_home, name="guardian-home"),
    path("teacher/", views.teacher_home, name="teacher-home"),
    path("school/", views.school_home, name="school-home"),
    path("district/", views.district_home, name="district-home"),
    path("platform/", views.platform_home, name="platform-home"),
    path("sections/<int:section_id>/", views.section_detail, name="section-detail"),
    path("students/<int:student_id>/", views.student_detail, name="student-detail"),
]
