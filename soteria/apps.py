from django.apps import AppConfig


class SoteriaConfig(AppConfig):
    name = "soteria"
    verbose_name = "Soteria core"
