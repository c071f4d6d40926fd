"""Background work: in-process without a broker, and through a real Redis broker to a real worker."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cairn.core.tasks import ping


def test_tasks_run_in_process_without_a_broker(settings) -> None:  # type: ignore[no-untyped-def]
    assert not settings.CELERY_BROKER_URL
    assert settings.CELERY_TASK_ALWAYS_EAGER
    result = ping.delay()
    assert result.get(timeout=5)["pid"] == str(os.getpid())


def test_tasks_reach_a_worker_through_redis(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """CI starts Redis and sets CAIRN_TEST_REDIS_URL; elsewhere this is skipped."""
    url = os.environ.get("CAIRN_TEST_REDIS_URL")
    if not url:
        pytest.skip("CAIRN_TEST_REDIS_URL not set (CI starts a Redis server and sets it)")
    env = {
        **os.environ,
        "CELERY_BROKER_URL": url,
        "CAIRN_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "cairn.project.settings",
    }
    env.pop("DATABASE_URL", None)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cairn.project",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        code = (
            "import django, json; django.setup(); from cairn.core.tasks import ping; "
            "print(json.dumps(ping.delay().get(timeout=60)))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=90
        )
        assert out.returncode == 0, out.stderr
        answer = out.stdout.strip().splitlines()[-1]
        assert '"pong": "ok"' in answer
        assert f'"pid": "{worker.pid}"' in answer
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_the_nightly_schedule_names_registered_tasks(settings) -> None:  # type: ignore[no-untyped-def]
    from cairn.project.celery import app

    app.loader.import_default_modules()  # what a beat or worker process does at start: find every task
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"cairn.curriculum.check_links", "cairn.learning.refit_learner_model"} <= scheduled
    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)
