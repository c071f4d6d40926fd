from django.urls import path

from cairn.learning import views, views_profile, views_scale, views_scope

urlpatterns = [
    path("", views.my_path, name="learning-path"),
    path("choose/", views.choose, name="learning-choose"),
    path("practice/<int:competency_id>/", views.practice_page, name="learning-practice"),
    path("answer/", views.answer, name="learning-answer"),
    path("hint/", views.hint, name="learning-hint"),
    path("activity/<int:content_id>/", views.activity, name="learning-activity"),
    path("me/profile/", views_profile.my_profile, name="learning-my-profile"),
    path(
        "students/<int:student_id>/profile/", views_profile.student_profile, name="learning-student-profile"
    ),
    path("districts/<int:district_id>/policy/", views.district_policy, name="learning-district-policy"),
    path("districts/<int:district_id>/scale/", views_scale.district_scale, name="learning-district-scale"),
    path(
        "districts/<int:district_id>/learner-model/",
        views.district_learner_model,
        name="learning-district-learner-model",
    ),
    path(
        "sections/<int:section_id>/competencies/",
        views_scope.section_competencies,
        name="learning-section-competencies",
    ),
    path(
        "sections/<int:section_id>/competencies/<int:change_id>/undo/",
        views_scope.undo_section_change,
        name="learning-section-competency-undo",
    ),
    path("sections/<int:section_id>/rules/", views.section_rules, name="learning-section-rules"),
    path(
        "sections/<int:section_id>/rules/<int:rule_id>/remove/",
        views.remove_section_rule,
        name="learning-section-rule-remove",
    ),
]
