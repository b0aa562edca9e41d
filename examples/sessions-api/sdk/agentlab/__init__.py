"""Python SDK of the AgentLab sessions API."""

from ._client import AgentLabError, Client
from .contracts import RAW_OPERATION_IDS, STRICT_OPERATION_IDS, TYPED_OPERATIONS, TypedOperationContract
from .typed import ContractValidationError, parse

__all__ = [
    "AgentLabError",
    "Client",
    "ContractValidationError",
    "RAW_OPERATION_IDS",
    "STRICT_OPERATION_IDS",
    "TYPED_OPERATIONS",
    "TypedOperationContract",
    "parse",
]

__version__ = "0.14.2"
