"""Runs: executions of an agent over a session."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    from ._client import Client

TERMINAL_STATUSES = frozenset({"succeeded", "failed", "cancelled"})


class Runs:
    """``client.runs``."""

    def __init__(self, client: "Client") -> None:
        self._client = client

    def start(
        self,
        session_id: str,
        *,
        agent_id: str | None = None,
        max_steps: int | None = None,
    ) -> dict[str, Any]:
        """Queue a run over the session's conversation; returns the queued run."""
        body: dict[str, Any] = {"sessionId": session_id}
        if agent_id is not None:
            body["agentId"] = agent_id
        if max_steps is not None:
            body["maxSteps"] = max_steps
        return self._client._request("runs.start", "POST", "/runs", json_body=body)

    def read(self, run_id: str) -> dict[str, Any]:
        """Return the current state of a run."""
        return self._client._request("runs.read", "GET", f"/runs/{run_id}")

    def cancel(self, run_id: str, *, reason: str | None = None) -> dict[str, Any]:
        """Ask the server to stop a run at its next step boundary."""
        body = {"reason": reason} if reason else None
        return self._client._request("runs.cancel", "POST", f"/runs/{run_id}/cancel", json_body=body)

    def events(self, run_id: str, *, after: int | None = None) -> list[dict[str, Any]]:
        """Return the events recorded for a run, optionally only those after a sequence number."""
        page = self._client._request("runs.events", "GET", f"/runs/{run_id}/events", params={"after": after})
        return page["items"]

    def follow(
        self,
        run_id: str,
        *,
        poll_interval: float = 0.5,
        timeout: float = 300.0,
    ) -> Iterator[dict[str, Any]]:
        """Yield the events of a run as they arrive, until the run finishes.

        Polls the events endpoint; use the websocket stream for lower latency.
        """
        deadline = time.monotonic() + timeout
        last: int | None = None
        while time.monotonic() < deadline:
            for event in self.events(run_id, after=last):
                last = event["sequence"]
                yield event
            if self.read(run_id)["status"] in TERMINAL_STATUSES:
                return
            time.sleep(poll_interval)
        raise TimeoutError(f"run {run_id} did not finish within {timeout} s")
