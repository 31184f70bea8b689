from django.core.management.base import BaseCommand, CommandError

from kpis.imports import reaper


class Command(BaseCommand):
    help = (
        "Run the import reaper now (it also runs every 10 minutes): re-queue, once, or fail "
        "imports left Waiting or Importing with no live task; expire raw uploads older than "
        "24 hours. With --now, do not wait for the 30-minute timeout: act on every waiting or "
        "importing batch that no worker reports running or holding."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Skip the timeouts; ask the workers which tasks are live and leave those alone",
        )

    def handle(self, *args, now, **options):
        live = live_task_ids() if now else set()
        report = reaper.reap_stale_imports(ignore_timeouts=now, live_task_ids=live)
        lines = [
            ("Queued (saved while the job queue was down)", report.queued),
            ("Re-queued (worker or job lost)", report.requeued),
            ("Failed (stuck again after being re-queued)", report.failed),
            ("Expired (24 hours after upload)", report.expired),
            ("Snapshot recompute queued", report.snapshots_queued),
        ]
        for label, ids in lines:
            if ids:
                self.stdout.write(f"{label}: batch {', '.join(map(str, ids))}")
        self.stdout.write(f"Old uploads deleted: {report.files_deleted}")


def live_task_ids() -> set[str]:
    """Ids of the tasks the workers are running or hold; none with no broker (eager)."""
    from soteria.celery import app

    if app.conf.task_always_eager:
        return set()
    try:
        inspect = app.control.inspect(timeout=3)
        replies = [inspect.active() or {}, inspect.reserved() or {}]
    except Exception as exc:
        raise CommandError(
            f"Cannot ask the workers what they are running ({type(exc).__name__}: {exc}). "
            "Without that, --now could re-queue a live import; run without --now."
        ) from None
    return {task["id"] for reply in replies for tasks in reply.values() for task in tasks}
