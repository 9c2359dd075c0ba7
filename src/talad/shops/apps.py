from django.apps import AppConfig


class ShopsConfig(AppConfig):
    name = "talad.shops"
    verbose_name = "Shops"
