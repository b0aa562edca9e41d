"""Which SDK operations are typed, and against which contract operations.

Every operationId of ``openapi.json`` must appear in ``ALL_OPERATION_IDS``. An operation is
*typed* when ``TYPED_OPERATIONS`` maps an SDK operation key to it (its request and response
bodies are validated with the generated models); every other operation is *raw* (plain dicts).
``STRICT_OPERATION_IDS`` are validated even when the client runs with validation ``off``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from .models import CreateSessionRequest, Message, Run, SendMessageRequest, Session, StartRunRequest


@dataclass(frozen=True)
class TypedOperationContract:
    """Binds an SDK operation key to a contract operation and its models."""

    operation_key: str
    operation_id: str
    request_model: type[BaseModel] | None
    response_models: tuple[type[BaseModel], ...]


TYPED_OPERATIONS: dict[str, TypedOperationContract] = {
    "sessions.create": TypedOperationContract(
        operation_key="sessions.create",
        operation_id="createSession",
        request_model=CreateSessionRequest,
        response_models=(Session,),
    ),
    "sessions.read": TypedOperationContract(
        operation_key="sessions.read",
        operation_id="readSesion",
        request_model=None,
        response_models=(Session,),
    ),
    "messages.send": TypedOperationContract(
        operation_key="messages.send",
        operation_id="sendSessionMessage",
        request_model=SendMessageRequest,
        response_models=(Message,),
    ),
    "runs.start": TypedOperationContract(
        operation_key="runs.start",
        operation_id="startRun",
        request_model=StartRunRequest,
        response_models=(Run,),
    ),
    "runs.read": TypedOperationContract(
        operation_key="runs.read",
        operation_id="readRun",
        request_model=None,
        response_models=(Run,),
    ),
}

# Kept by hand: one entry per operationId of openapi.json.
ALL_OPERATION_IDS = {
    "getHealth",
    "listSessions",
    "createSession",
    "readSession",
    "updateSession",
    "deleteSession",
    "listSessionMessages",
    "sendSessionMessage",
    "readSessionMessage",
    "startRun",
    "readRun",
    "cancelRun",
    "listRunEvents",
    "readAgent",
    "deleteAgent",
}

STRICT_OPERATION_IDS = {"createSession"}

RAW_OPERATION_IDS = ALL_OPERATION_IDS - {c.operation_id for c in TYPED_OPERATIONS.values()}
