"""Python SDK of the AgentLab sessions API."""

from ._client import AgentLabError, Client
from .contracts import RAW_OPERATION_IDS, STRICT_OPERATION_IDS, TYPED_OPERATIONS, TypedOperationContract

__all__ = [
    "AgentLabError",
    "Client",
    "RAW_OPERATION_IDS",
    "STRICT_OPERATION_IDS",
    "TYPED_OPERATIONS",
    "TypedOperationContract",
]

__version__ = "0.14.2"
