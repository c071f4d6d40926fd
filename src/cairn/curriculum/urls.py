from django.urls import path

from cairn.curriculum import course_views, views, views_ownership, views_upload, views_versions

urlpatterns = [
    path("", views.library, name="library"),
    path("notices/read/", views.notices_read, name="library-notices-read"),
    path("content/new/", views.content_new, name="library-content-new"),
    path("content/<int:content_id>/", views.content_detail, name="library-content"),
    path("content/<int:content_id>/submit/", views.content_submit, name="library-content-submit"),
    path("content/<int:content_id>/use/", views.content_use, name="library-content-use"),
    path("content/<int:content_id>/retire/", views.content_retire, name="library-content-retire"),
    path("content/<int:content_id>/sections/", views.content_sections, name="library-content-sections"),
    path("competencies/", views.competency_list, name="library-competencies"),
    path("competencies/<int:competency_id>/", views.competency_detail, name="library-competency"),
    path("items/new/", views.item_new, name="library-item-new"),
    path("items/<int:item_id>/", views.item_detail, name="library-item"),
    path("items/<int:item_id>/submit/", views.item_submit, name="library-item-submit"),
    path("content/<int:content_id>/edit/", views_versions.content_edit, name="library-content-edit"),
    path("content/<int:content_id>/history/", views_versions.content_history, name="library-content-history"),
    path("items/<int:item_id>/edit/", views_versions.item_edit, name="library-item-edit"),
    path("items/<int:item_id>/history/", views_versions.item_history, name="library-item-history"),
    path(
        "review/versions/content/<int:version_id>/",
        views_versions.review_content_version,
        name="library-review-content-version",
    ),
    path(
        "review/versions/items/<int:version_id>/",
        views_versions.review_item_version,
        name="library-review-item-version",
    ),
    path("<str:kind>/<int:pk>/adopt/", views_ownership.adopt, name="library-adopt"),
    path("<str:kind>/<int:pk>/unadopt/", views_ownership.unadopt, name="library-unadopt"),
    path("<str:kind>/<int:pk>/share/", views_ownership.share, name="library-share"),
    path("districts/<int:district_id>/courses/", course_views.district_courses, name="library-courses"),
    path(
        "districts/<int:district_id>/courses/section/",
        course_views.section_course,
        name="library-section-course",
    ),
    path("courses/<int:course_id>/", course_views.course_detail, name="library-course"),
    path("courses/<int:course_id>/move/", course_views.course_move, name="library-course-move"),
    path("import/", views_upload.upload, name="library-upload"),
    path("import/confirm/", views_upload.upload_confirm, name="library-upload-confirm"),
    path("review/", views.review_queue, name="library-review"),
    path("review/content/<int:content_id>/", views.review_content, name="library-review-content"),
    path("review/items/<int:item_id>/", views.review_item, name="library-review-item"),
]
