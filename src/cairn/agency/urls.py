"""Agency's pages, mounted under /learn/ beside the student's path; their names keep the ``learning-``
prefix the site's links have always used."""

from django.urls import path

from cairn.agency import views, voice_views

urlpatterns = [
    path("goals/", views.goals, name="learning-goals"),
    path("reflect/", views.reflect, name="learning-reflect"),
    path("ask/", voice_views.ask, name="agency-ask"),
    path("voice/<int:section_id>/", voice_views.inbox, name="agency-voice-inbox"),
    path("voice/<int:section_id>/<int:message_id>/", voice_views.reply, name="agency-voice-reply"),
    path("voice/<int:section_id>/<int:message_id>/done/", voice_views.done, name="agency-voice-done"),
]
