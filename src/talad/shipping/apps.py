from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "talad.shipping"

    def ready(self) -> None:
        from talad.orders.carriers import provide_carrier_choices
        from talad.shipping import receivers  # noqa: F401  (connects the signal handlers)
        from talad.shipping.registry import active_carriers

        provide_carrier_choices(
            lambda shop: [(c.code, c.name) for c in active_carriers(shop).values()]
        )
