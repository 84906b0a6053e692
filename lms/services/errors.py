"""Errors a service raises for a request it refuses; views show the message and the matching HTTP status."""


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(ServiceError):
    status = 400


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class Unavailable(ServiceError):
    """What the request needs is missing on this server (a system library, say): not the user's fault."""

    status = 503
