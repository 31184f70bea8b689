"""The deck's Celery task: the board pack PDF."""

from celery import shared_task

from . import pack


@shared_task(name="kpis.generate_board_pack")
def generate_board_pack(*, pack_id: int) -> None:
    pack.generate_board_pack(pack_id=pack_id)
