from celery import shared_task

from . import services


@shared_task(name="webhooks.deliver")
def deliver(delivery_id):
    """One attempt of a delivery; quiet when it is gone, done, not due or taken (idempotent)."""
    services.delivery_send(delivery_id=delivery_id)


@shared_task(name="webhooks.sweep")
def sweep():
    """Beat job: re-queue deliveries whose task was lost or whose worker died."""
    return services.deliveries_requeue_due()
