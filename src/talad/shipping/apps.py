from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "talad.shipping"

    def ready(self) -> None:
        from talad.shipping import receivers  # noqa: F401  (connects the signal handlers)
