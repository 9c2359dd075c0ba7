"""Background tasks on Django's Tasks API (django-tasks): the backend is a setting
(TALAD_TASKS_BACKEND: the database by default, Redis through RQ to scale out)."""

from django_tasks import task

from talad.integrations import outbox


@task()
def deliver_message(message_id: int) -> str:
    """Deliver one outbox message (or skip it when another worker holds it or it is done)."""
    return outbox.deliver(message_id)
