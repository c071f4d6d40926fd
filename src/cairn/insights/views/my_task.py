"""A student's tiered task, the page their board's "Your task" opens: the task at their level. Only that
student reads it here; a teacher who may see the class is sent to the task's teacher page; anyone else gets
the same 404 as for no such task."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cairn.accounts.access import person
from cairn.insights import access
from cairn.insights.models import TieredAssignment, TieredTask


@login_required
def my_task(request: HttpRequest, task_id: int) -> HttpResponse:
    viewer = person(request)
    assignment = (
        TieredAssignment.objects.filter(task_id=task_id, student=viewer)
        .select_related("task__competency")
        .first()
    )
    if assignment is None:
        task = TieredTask.objects.filter(pk=task_id).select_related("section").first()
        if task is not None and access.can_view(viewer, task.section):
            return redirect("insights-tiered-task", task_id)
        raise Http404("No such task.")
    context = {"task": assignment.task, "text": assignment.task.text_for(assignment.tier)}
    return render(request, "insights/my_task.html", context)
