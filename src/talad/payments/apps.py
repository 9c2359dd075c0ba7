from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "talad.payments"

    def ready(self) -> None:
        from talad.payments import receivers  # noqa: F401  (connects the signal handlers)
