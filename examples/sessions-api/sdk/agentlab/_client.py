"""HTTP transport shared by every domain class of the AgentLab SDK."""

from __future__ import annotations

import os
from typing import Any, Mapping

import httpx

from .agents import Agents
from .runs import Runs
from .sessions import Sessions
from .typed import TypedClient, ValidationMode

DEFAULT_BASE_URL = "http://127.0.0.1:8787"
API_PREFIX = "/api"


class AgentLabError(Exception):
    """Raised when the API answers with a 4xx or 5xx status.

    ``code`` and ``message`` come from the ``Error`` body of the response when the server sent one.
    """

    def __init__(self, operation_key: str, status_code: int, code: str, message: str) -> None:
        super().__init__(f"{operation_key}: {status_code} {code}: {message}")
        self.operation_key = operation_key
        self.status_code = status_code
        self.code = code
        self.message = message


class Client:
    """Entry point of the SDK.

    >>> client = Client()
    >>> session = client.sessions.create(agent_id="agt_planner", title="Release notes")
    >>> client.sessions.messages.send(session["id"], "Draft the notes for 0.14", start_run=True)

    ``client.typed`` is the generated typed facade over the same transport: its methods take and
    return the generated models, validated as ``validation`` says (per call: ``validation=...``).

    >>> session = client.typed.sessions.create(agent_id="agt_planner", title="Release notes")
    >>> session.agent_id
    'agt_planner'
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        token: str | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        validation: ValidationMode | None = None,
    ) -> None:
        base_url = (base_url or os.environ.get("AGENTLAB_URL") or DEFAULT_BASE_URL).rstrip("/")
        headers = {"User-Agent": "agentlab-python/0.14.2"}
        token = token or os.environ.get("AGENTLAB_TOKEN")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=base_url + API_PREFIX,
            headers=headers,
            timeout=timeout,
            transport=transport,
        )
        self.sessions = Sessions(self)
        self.runs = Runs(self)
        self.agents = Agents(self)
        self.typed = TypedClient(self._request, validation)

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def health(self) -> dict[str, Any]:
        """Return the service status (``status``, ``version``, ``uptimeSeconds``)."""
        return self._request("system.health", "GET", "/health")

    def _request(
        self,
        operation_key: str,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
    ) -> Any:
        """Send one API call and decode its JSON answer.

        ``path`` is relative to the ``/api`` prefix; ``""`` addresses the prefix itself.
        ``operation_key`` names the SDK operation (``"sessions.create"``); it is sent as a header
        so that server logs can be joined with SDK telemetry, and it is the key of
        ``contracts.TYPED_OPERATIONS``.
        """
        query = {key: value for key, value in (params or {}).items() if value is not None}
        response = self._http.request(
            method,
            path,
            params=query or None,
            json=json_body,
            headers={"X-AgentLab-Operation": operation_key},
        )
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {}
            raise AgentLabError(
                operation_key,
                response.status_code,
                str(body.get("code", "http_error")),
                str(body.get("message", response.reason_phrase)),
            )
        if response.status_code == 204 or not response.content:
            return None
        return response.json()
