"""Configured agents."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._client import Client


class Agents:
    """``client.agents``."""

    def __init__(self, client: "Client") -> None:
        self._client = client

    def list(self) -> list[dict[str, Any]]:
        """Return every configured agent, sorted by name."""
        return self._client._request("agents.list", "GET", "/agents")

    def read(self, agent_id: str) -> dict[str, Any]:
        """Return one agent."""
        return self._client._request("agents.read", "GET", f"/agents/{agent_id}")

    def by_name(self, name: str) -> dict[str, Any]:
        """Return the agent with this display name (case-insensitive)."""
        for agent in self.list():
            if agent["name"].lower() == name.lower():
                return agent
        raise LookupError(f"no agent named {name!r}")
