"""The deck's Celery task: the board pack PDF.

The pack module (pypdf, the deck's readings and charts) is imported when the task runs, not
when Django starts: every process imports the task modules at start-up (AppConfig.ready),
and most never make a PDF (docs/performance.md, "make run").
"""

from celery import shared_task


@shared_task(name="kpis.generate_board_pack")
def generate_board_pack(*, pack_id: int) -> None:
    from . import pack

    pack.generate_board_pack(pack_id=pack_id)
