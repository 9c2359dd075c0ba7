"""Shop scoping that is the default, not something each caller remembers.

Every shop-owned model gets `objects = ShopScopedManager()`. A query through it must say
which shop it is for (`Variant.objects.for_shop(shop)`); one that does not raises
`UnscopedQuery` when it runs, instead of quietly reading every shop's rows. Cross-shop
reads (admin, `talad doctor`) use the explicit `unscoped` manager.
"""

from django.db import models


class UnscopedQuery(RuntimeError):
    """A shop-owned table was queried without naming the shop."""


class ShopScopedQuerySet(models.QuerySet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shop_scoped = False

    def for_shop(self, shop) -> "ShopScopedQuerySet":
        qs = self.filter(shop=shop)
        qs._shop_scoped = True
        return qs

    def _clone(self):
        clone = super()._clone()
        clone._shop_scoped = self._shop_scoped
        return clone

    def _require_shop(self) -> None:
        if not self._shop_scoped:
            raise UnscopedQuery(
                f"{self.model.__name__} queried without a shop; use .for_shop(shop)"
            )

    def _fetch_all(self):
        if self._result_cache is None:
            self._require_shop()
        super()._fetch_all()

    def iterator(self, *args, **kwargs):
        self._require_shop()
        return super().iterator(*args, **kwargs)

    def count(self):
        self._require_shop()
        return super().count()

    def exists(self):
        self._require_shop()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._require_shop()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs):
        self._require_shop()
        return super().update(**kwargs)

    def delete(self):
        self._require_shop()
        return super().delete()


class ShopScopedManager(models.Manager.from_queryset(ShopScopedQuerySet)):
    pass


class ShopOwned(models.Model):
    """Base for every row that belongs to one shop (docs/design/tenancy.md)."""

    shop = models.ForeignKey("shops.Shop", on_delete=models.PROTECT, related_name="+")

    objects = ShopScopedManager()
    unscoped = models.Manager()  # noqa: DJ012 (managers belong with the shop field they guard)

    class Meta:
        abstract = True
        # Related managers and admin use the plain manager: they are already narrowed by
        # their parent row or run for a superuser across shops.
        default_manager_name = "unscoped"
        base_manager_name = "unscoped"
