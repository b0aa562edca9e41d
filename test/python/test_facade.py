"""Runs the example SDK's generated typed facade against a fake HTTP layer.

The SDK (examples/sessions-api/sdk/agentlab, repaired, with pydantic-v1 models and the facade
generated into it by the node test) imports httpx, which is not installed here: this script puts a
small fake ``httpx`` module in its place, whose ``Client.request`` hands each request to the
test's own transport function. Everything between (``Client._request``, the facade, the contracts
module, the models) is the real code. ``AsyncTypedClient`` is driven through an async request
function of the test's own.

Usage: python3 test_facade.py SDK_DIR        (SDK_DIR holds the ``agentlab`` package)
Prints "facade: N passed, 0 failed" and exits 1 on any failure.
"""

import asyncio
import json
import sys
import traceback
import types

sys.path.insert(0, sys.argv[1])


class FakeResponse:
    def __init__(self, status_code, body):
        self.status_code = status_code
        self.content = b"" if body is None else json.dumps(body).encode()
        self.reason_phrase = "Error" if status_code >= 400 else "OK"
        self._body = body

    def json(self):
        return self._body


class FakeHttpClient:
    """Stands in for httpx.Client: sends every request to the transport the SDK was given."""

    def __init__(self, base_url, headers, timeout, transport):
        self.base_url = base_url
        self.transport = transport

    def request(self, method, path, params=None, json=None, headers=None):
        return self.transport(method, self.base_url + path, params, json, headers or {})

    def close(self):
        pass


httpx = types.ModuleType("httpx")
httpx.Client = FakeHttpClient
httpx.BaseTransport = object
sys.modules["httpx"] = httpx

import agentlab  # noqa: E402
from agentlab import Client, ContractValidationError, parse  # noqa: E402
from agentlab.models import Error, Run, Session  # noqa: E402
from agentlab.typed import (  # noqa: E402
    ALL_OPERATION_IDS,
    CONTRACTS,
    RAW_OPERATION_IDS,
    STRICT_OPERATION_IDS,
    TYPED_OPERATION_IDS,
    AsyncTypedClient,
)

SESSION = {
    "id": "ses_1",
    "agentId": "agt_planner",
    "title": "Release notes",
    "status": "active",
    "messageCount": 0,
    "systemPrompt": None,
    "lastRunId": None,
    "metadata": {},
    "createdAt": "2026-01-01T00:00:00Z",
    "updatedAt": "2026-01-01T00:00:00Z",
}
RUN = {
    "id": "run_1",
    "sessionId": "ses_1",
    "agentId": "agt_planner",
    "status": "queued",
    "createdAt": "2026-01-01T00:00:00Z",
    "startedAt": None,
    "finishedAt": None,
    "error": None,
}
ERROR = {"code": "not_found", "message": "no such run"}


class Transport:
    """The fake HTTP layer: records each request and answers from a queue of (status, body)."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests = []

    def __call__(self, method, url, params, body, headers):
        self.requests.append({"method": method, "url": url, "params": params, "json": body, "headers": headers})
        status, answer = self.answers.pop(0)
        return FakeResponse(status, answer)


def client(*answers, validation=None):
    transport = Transport(*answers)
    return Client("http://api.test", transport=transport, validation=validation), transport


def expect_error(fn, **fields):
    try:
        fn()
    except ContractValidationError as error:
        for name, value in fields.items():
            actual = getattr(error, name)
            assert actual == value, f"{name}: {actual!r} != {value!r}"
        return error
    raise AssertionError("no ContractValidationError")


def locs(error):
    return [tuple(e["loc"]) for e in error.errors]


tests = []


def test(fn):
    tests.append(fn)
    return fn


@test
def sets_are_derived_from_the_spec_and_the_declarations():
    assert TYPED_OPERATION_IDS == {"createSession", "readSession", "sendSessionMessage", "startRun", "readRun"}
    assert STRICT_OPERATION_IDS == {"createSession"}
    assert ALL_OPERATION_IDS == TYPED_OPERATION_IDS | RAW_OPERATION_IDS
    assert not TYPED_OPERATION_IDS & RAW_OPERATION_IDS
    assert len(ALL_OPERATION_IDS) == 16
    # The hand-written contracts module of the SDK and the generated one agree.
    assert {c.operation_id for c in agentlab.TYPED_OPERATIONS.values()} == TYPED_OPERATION_IDS
    assert CONTRACTS["runs.read"].statuses == {"200": Run, "404": Error}
    assert CONTRACTS["sessions.create"].strict is True


@test
def typed_only_validates_the_request_and_parses_the_response():
    c, t = client((201, SESSION))
    session = c.typed.sessions.create(agent_id="agt_planner", title="Release notes")
    assert isinstance(session, Session) and session.agent_id == "agt_planner"
    [r] = t.requests
    assert (r["method"], r["url"]) == ("POST", "http://api.test/api/sessions")
    assert r["json"] == {"agentId": "agt_planner", "title": "Release notes"}
    assert r["headers"]["X-AgentLab-Operation"] == "sessions.create"


@test
def the_request_model_itself_is_accepted():
    from agentlab.models import CreateSessionRequest

    c, t = client((201, SESSION))
    c.typed.sessions.create(CreateSessionRequest(agentId="agt_x"))
    assert t.requests[0]["json"] == {"agentId": "agt_x"}


@test
def an_invalid_request_raises_before_anything_is_sent():
    c, t = client()
    error = expect_error(
        lambda: c.typed.sessions.create(title="no agent"),
        operation="sessions.create",
        operation_id="createSession",
        boundary="request",
        model="CreateSessionRequest",
    )
    assert ("agentId",) in locs(error), error.errors
    assert error.payload == {"title": "no agent"}
    assert "sessions.create: invalid request body for CreateSessionRequest" in str(error)
    assert t.requests == []


@test
def an_invalid_response_names_every_model_of_the_union():
    c, t = client((200, {"id": "run_1"}))
    error = expect_error(lambda: c.typed.runs.read("run_1"), boundary="response", model="Run | Error", operation="runs.read")
    assert ("Run", "status") in locs(error) and ("Error", "code") in locs(error), error.errors
    assert error.payload == {"id": "run_1"}
    assert t.requests[0]["url"] == "http://api.test/api/runs/run_1"


@test
def a_response_union_parses_into_the_model_that_accepts_it():
    c, _ = client((200, RUN), (404, None))
    assert isinstance(c.typed.runs.read("run_1"), Run)
    assert isinstance(parse("runs.read", ERROR), Error)
    assert isinstance(parse("runs.read", RUN), Run)


@test
def off_skips_validation_but_not_for_strict_operations():
    c, t = client((202, {"unexpected": True}), validation="off")
    # startRun is not strict: an incomplete body goes out as given, the answer comes back raw.
    assert c.typed.runs.start(session_id="ses_1", max_steps=3) == {"unexpected": True}
    assert t.requests[0]["json"] == {"sessionId": "ses_1", "maxSteps": 3}
    # createSession is strict: validated even with validation off.
    expect_error(lambda: c.typed.sessions.create(title="no agent"), boundary="request")


@test
def the_per_call_override_beats_the_client_mode():
    c, _ = client((200, {"id": "run_1"}))
    assert c.typed.runs.read("run_1", validation="off") == {"id": "run_1"}
    c, _ = client((200, {"id": "run_1"}), validation="off")
    expect_error(lambda: c.typed.runs.read("run_1", validation="typed-only"), boundary="response")
    try:
        c.typed.runs.read("run_1", validation="lenient")
    except ValueError as error:
        assert "typed-only, off, strict" in str(error)
    else:
        raise AssertionError("an unknown mode is refused")


@test
def strict_rejects_fields_the_models_do_not_declare():
    extra = {**SESSION, "debug": {"trace": 1}}
    c, _ = client((200, extra))
    assert c.typed.sessions.read("ses_1").id == "ses_1"  # typed-only: extra fields are allowed
    c, _ = client((200, extra))
    error = expect_error(lambda: c.typed.sessions.read("ses_1", validation="strict"), boundary="response", model="Session")
    assert locs(error) == [("debug",)], error.errors
    assert error.errors[0]["type"] == "extra"


@test
def path_parameters_are_percent_encoded():
    message = {"id": "msg_1", "sessionId": "a/b", "role": "user", "content": [{"type": "text", "text": "hi"}], "createdAt": "2026-01-01T00:00:00Z", "runId": None}
    c, t = client((201, message))
    c.typed.messages.send("a/b", role="user", content=[{"type": "text", "text": "hi"}])
    assert t.requests[0]["url"] == "http://api.test/api/sessions/a%2Fb/messages"


@test
def parse_refuses_an_operation_that_is_not_typed():
    try:
        parse("sessions.list", {})
    except KeyError as error:
        assert "sessions.create" in str(error)
    else:
        raise AssertionError("KeyError expected")


@test
def the_async_facade_awaits_the_request_function():
    sent = []

    async def request(operation_key, method, path, *, params=None, json_body=None):
        sent.append((operation_key, method, path, json_body))
        await asyncio.sleep(0)
        return SESSION if method == "POST" else ERROR

    async def main():
        typed = AsyncTypedClient(request)
        session = await typed.sessions.create(agent_id="agt_planner")
        error_body = await typed.runs.read("run_9")
        try:
            await typed.sessions.create(title="x" * 300, agent_id="a")
        except ContractValidationError as error:
            return session, error_body, error
        raise AssertionError("title longer than maxLength must fail")

    session, error_body, error = asyncio.run(main())
    assert isinstance(session, Session) and isinstance(error_body, Error)
    assert sent[:2] == [("sessions.create", "POST", "/sessions", {"agentId": "agt_planner"}), ("runs.read", "GET", "/runs/run_9", None)]
    assert error.boundary == "request" and ("title",) in locs(error)


passed = failed = 0
for fn in tests:
    try:
        fn()
        passed += 1
    except Exception:  # noqa: BLE001
        failed += 1
        print(f"FAIL {fn.__name__}")
        traceback.print_exc()
print(f"facade: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
