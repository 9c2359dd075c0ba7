from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "talad.inventory"

    def ready(self) -> None:
        from talad.inventory import receivers  # noqa: F401  (connects the signal handlers)
