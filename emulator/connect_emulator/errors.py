"""Errors the emulated Connect API answers with.

Each carries the error code Amazon Connect uses (the `x-amzn-ErrorType` of the response) and its
HTTP status, so the protocol layer can serialise any of them without knowing the domain.
"""

from __future__ import annotations


class ConnectError(Exception):
    code = "InternalServiceException"
    status = 500

    def __init__(self, message: str, **fields: object) -> None:
        super().__init__(message)
        self.message = message
        # Extra members of the error shape sent beside "Message" (e.g. ResourceInUseException's
        # ResourceType/ResourceId, InvalidRequestException's Reason).
        self.fields: dict[str, object] = dict(fields)


class InvalidParameterException(ConnectError):
    code = "InvalidParameterException"
    status = 400


class InvalidRequestException(ConnectError):
    code = "InvalidRequestException"
    status = 400


class ResourceNotFoundException(ConnectError):
    code = "ResourceNotFoundException"
    status = 404


class DuplicateResourceException(ConnectError):
    code = "DuplicateResourceException"
    status = 409


class ResourceConflictException(ConnectError):
    code = "ResourceConflictException"
    status = 409


class ResourceInUseException(ConnectError):
    code = "ResourceInUseException"
    status = 409


class LimitExceededException(ConnectError):
    code = "LimitExceededException"
    status = 429


class ServiceQuotaExceededException(ConnectError):
    code = "ServiceQuotaExceededException"
    status = 402


class ThrottlingException(ConnectError):
    code = "ThrottlingException"
    status = 429


class AccessDeniedException(ConnectError):
    code = "AccessDeniedException"
    status = 403


class UnrecognizedClientException(ConnectError):
    """An access key no IAM user (or assumed role) of the account holds (`--iam-auth`)."""

    code = "UnrecognizedClientException"
    status = 403


class InvalidSignatureException(ConnectError):
    """A SigV4 signature that the key's secret does not reproduce (`--iam-auth`)."""

    code = "InvalidSignatureException"
    status = 403


class InternalServiceException(ConnectError):
    code = "InternalServiceException"
    status = 500


class ValidationError(InvalidParameterException):
    """A request that does not match the botocore input shape (required, type, length, range, enum)."""


class SerializationException(ConnectError):
    """A body that is not JSON (Amazon's front end answers this before the service sees it)."""

    code = "SerializationException"
    status = 400


class UnknownOperationException(ConnectError):
    """No operation of the Connect model matches the method and path."""

    code = "UnknownOperationException"
    status = 404


class NotImplementedOperation(ConnectError):
    """An operation of the Connect model that the emulator does not serve (yet)."""

    code = "InvalidRequestException"
    status = 400
