from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "talad.integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from talad.integrations import receivers  # noqa: F401 (connects the signal receivers)
