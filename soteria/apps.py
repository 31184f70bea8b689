from django.apps import AppConfig


class SoteriaConfig(AppConfig):
    name = "soteria"
    verbose_name = "Soteria core"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  registers soteria.send_notification_emails
