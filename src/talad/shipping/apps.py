from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "talad.shipping"

    def ready(self) -> None:
        from talad.orders.carriers import provide_carrier_choices, provide_carrier_names
        from talad.shipping import receivers  # noqa: F401  (connects the signal handlers)
        from talad.shipping.registry import active_carriers, carriers_for

        provide_carrier_choices(
            lambda shop: [(c.code, c.name) for c in active_carriers(shop).values()]
        )
        provide_carrier_names(lambda shop: {c.code: c.name for c in carriers_for(shop).values()})
