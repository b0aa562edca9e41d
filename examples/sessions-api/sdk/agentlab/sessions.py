"""Sessions and the messages inside them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Literal

if TYPE_CHECKING:
    from ._client import Client

SessionStatus = Literal["active", "idle", "archived"]


class Messages:
    """Messages of a session: ``client.sessions.messages``."""

    def __init__(self, client: "Client") -> None:
        self._client = client

    def send(
        self,
        session_id: str,
        text: str | None = None,
        *,
        content: list[dict[str, Any]] | None = None,
        role: Literal["user", "system"] = "user",
        start_run: bool = False,
    ) -> dict[str, Any]:
        """Append a message to a session.

        Pass plain ``text`` for the common case or a list of content parts. With
        ``start_run=True`` the server queues a run of the session's agent to answer.
        """
        if content is None:
            if text is None:
                raise ValueError("send() needs text or content")
            content = [{"type": "text", "text": text}]
        return self._client._request(
            "messages.send",
            "POST",
            f"/sessions/{session_id}/messages",
            json_body={"role": role, "content": content, "startRun": start_run},
        )

    def list(self, session_id: str, *, limit: int | None = None, cursor: str | None = None) -> dict[str, Any]:
        """Return one page of messages, oldest first (``items`` and ``nextCursor``)."""
        return self._client._request(
            "messages.list",
            "GET",
            f"/sessions/{session_id}/messages",
            params={"limit": limit, "cursor": cursor},
        )

    def read(self, session_id: str, message_id: str) -> dict[str, Any]:
        """Return one message of a session."""
        return self._client._request("messages.read", "GET", f"/sessions/{session_id}/messages/{message_id}")

    def iter_all(self, session_id: str, *, page_size: int = 100) -> Iterator[dict[str, Any]]:
        """Iterate over every message of a session, following ``nextCursor``."""
        cursor: str | None = None
        while True:
            page = self.list(session_id, limit=page_size, cursor=cursor)
            yield from page["items"]
            cursor = page.get("nextCursor")
            if not cursor:
                return


class Sessions:
    """Conversations between a user and an agent: ``client.sessions``."""

    def __init__(self, client: "Client") -> None:
        self._client = client
        self.messages = Messages(client)

    def create(
        self,
        *,
        agent_id: str,
        title: str | None = None,
        system_prompt: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Create a session bound to ``agent_id``."""
        body: dict[str, Any] = {"agentId": agent_id}
        if title is not None:
            body["title"] = title
        if system_prompt is not None:
            body["systemPrompt"] = system_prompt
        if metadata:
            body["metadata"] = metadata
        return self._client._request("sessions.create", "POST", "/sessions", json_body=body)

    def list(
        self,
        *,
        status: SessionStatus | None = None,
        agent_id: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> dict[str, Any]:
        """Return one page of session summaries, most recently active first."""
        return self._client._request(
            "sessions.list",
            "GET",
            "/sessions",
            params={"status": status, "agentId": agent_id, "limit": limit, "cursor": cursor},
        )

    def read(self, session_id: str) -> dict[str, Any]:
        """Return a session with its configuration."""
        return self._client._request("sessions.read", "GET", f"/sessions/{session_id}")

    def update(self, session_id: str, **changes: Any) -> dict[str, Any]:
        """Apply a partial update; ``system_prompt=None`` clears the prompt."""
        names = {
            "title": "title",
            "status": "status",
            "system_prompt": "systemPrompt",
            "metadata": "metadata",
        }
        unknown = set(changes) - set(names)
        if unknown:
            raise TypeError(f"unknown session fields: {', '.join(sorted(unknown))}")
        body = {names[key]: value for key, value in changes.items()}
        return self._client._request("sessions.update", "PATCH", f"/sessions/{session_id}", json_body=body)

    def delete(self, session_id: str) -> None:
        """Delete a session with its messages and runs."""
        self._client._request("sessions.delete", "DELETE", f"/sessions/{session_id}")

    def pin(self, session_id: str) -> dict[str, Any]:
        """Pin a session to the top of the list."""
        return self._client._request("sessions.pin", "POST", f"/sessions/{session_id}/pin")
