from django.apps import AppConfig


class AccountingConfig(AppConfig):
    name = "talad.accounting"

    def ready(self) -> None:
        from talad.accounting import receivers  # noqa: F401  (connects the signal handlers)
