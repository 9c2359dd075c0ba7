"""Domain errors shared by every app. Services raise these; the API and the UI map them once."""


class TaladError(Exception):
    """A business rule said no. `code` is the stable API error code; `fields` names bad inputs."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, fields: dict[str, str] | None = None, **extra):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.extra = extra


class NotFound(TaladError):
    """Missing, or belonging to another shop: the caller cannot tell which."""

    code = "not_found"
    status = 404


class PermissionDenied(TaladError):
    code = "forbidden"
    status = 403


class Conflict(TaladError):
    code = "conflict"
    status = 409
