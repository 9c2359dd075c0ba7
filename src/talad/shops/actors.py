"""Who is acting: a signed-in person, an API token, or Talad itself (CLI, demo, worker)."""

from dataclasses import dataclass

from talad.shops.models import ApiToken, Role


@dataclass(frozen=True)
class Actor:
    role: str
    user: object | None = None
    token: ApiToken | None = None
    label: str = ""

    @classmethod
    def system(cls, label: str = "talad") -> "Actor":
        """Talad's own commands act with the owner's rights, as the person who runs them does."""
        return cls(role=Role.OWNER, label=label)

    @classmethod
    def for_user(cls, user, role: str) -> "Actor":
        return cls(role=role, user=user, label=user.get_username())

    @classmethod
    def for_token(cls, token: ApiToken) -> "Actor":
        return cls(role=token.role, token=token, label=f"token:{token.prefix}")

    @property
    def user_id(self):
        return getattr(self.user, "pk", None)
