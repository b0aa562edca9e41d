"""Exercises generated models with a real runtime: valid payloads parse, invalid ones are rejected.

Usage: python3 test_models.py TARGET ROOT

ROOT holds one folder per fixture spec (test/fixtures/generate/*.yaml), each with one generated
package per target. TARGET is pydantic-v1 or pydantic-v2 (run with an interpreter that has that
pydantic), dataclasses or typeddict (standard library only). Prints one line per failed check and
a closing "N passed, N failed" line; exits 1 when any check failed.
"""

import dataclasses
import importlib.util
import os
import sys
import typing

TARGET, ROOT = sys.argv[1], sys.argv[2]
passed = 0
failed = 0


def load(fixture):
    directory = os.path.join(ROOT, fixture, TARGET)
    name = f"gen_{fixture}_{TARGET.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(name, os.path.join(directory, "__init__.py"), submodule_search_locations=[directory])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    operations = importlib.import_module(f"{name}.operations")
    return module, operations


def check(label, condition):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {TARGET}: {label}")


def parse(cls, data):
    if TARGET == "pydantic-v1":
        if hasattr(cls, "parse_obj"):
            return cls.parse_obj(data)
        import pydantic

        return pydantic.parse_obj_as(cls, data)
    import pydantic

    return pydantic.TypeAdapter(cls).validate_python(data)


def valid(label, cls, data):
    try:
        parse(cls, data)
        check(label, True)
    except Exception as e:  # noqa: BLE001
        check(f"{label}: {type(e).__name__}: {str(e).splitlines()[0:3]}", False)


def invalid(label, cls, data):
    try:
        parse(cls, data)
        check(f"{label} (accepted)", False)
    except Exception as e:  # noqa: BLE001
        check(label, type(e).__name__ == "ValidationError")


def pydantic_checks():
    m, _ = load("constraints")
    account = {"id": "0b6c2f4e-8a07-4a36-9f3e-3c0c6f0c9b11", "handle": "ada_l", "email": "ada@example.com", "createdAt": "2024-05-01T10:00:00Z", "balance": 12.5}
    valid("constraints: a valid account", m.Account, account)
    invalid("constraints: wrong type (balance is a string)", m.Account, {**account, "balance": "lots"})
    invalid("constraints: missing required (handle)", m.Account, {k: v for k, v in account.items() if k != "handle"})
    invalid("constraints: pattern (handle starts with a digit)", m.Account, {**account, "handle": "1ada"})
    invalid("constraints: minLength (handle)", m.Account, {**account, "handle": "ad"})
    invalid("constraints: exclusiveMinimum (level 0)", m.Account, {**account, "level": 0})
    invalid("constraints: maximum (balance)", m.Account, {**account, "balance": 2_000_000})
    invalid("constraints: uniqueItems (tags)", m.Account, {**account, "tags": ["a", "a"]})
    invalid("constraints: minItems (tags)", m.Account, {**account, "tags": []})
    invalid("constraints: item maxLength (tags)", m.Account, {**account, "tags": ["x" * 21]})
    invalid("constraints: item maximum (scores)", m.Account, {**account, "scores": [11]})
    invalid("constraints: uuid format", m.Account, {**account, "id": "not-a-uuid"})
    invalid("constraints: date-time format", m.Account, {**account, "createdAt": "yesterday"})
    parsed = parse(m.Account, account)
    check("constraints: defaults (level 1, verified False, nickname anon)", (parsed.level, parsed.verified, parsed.nickname) == (1, False, "anon"))
    check("constraints: object default", parsed.settings == {"theme": "dark"})

    m, _ = load("openapi30")
    pet = {"id": 1, "name": "Rex", "tag": None}
    valid("3.0: required and nullable accepts null", m.Pet, pet)
    invalid("3.0: required and nullable must be present", m.Pet, {"id": 1, "name": "Rex"})
    valid("3.0: optional and not nullable may be absent", m.Pet, {**pet, "nickname": "R"})
    invalid("3.0: optional and not nullable rejects null", m.Pet, {**pet, "nickname": None})
    valid("3.0: optional and nullable accepts null", m.Pet, {**pet, "notes": None})
    invalid("3.0: exclusiveMinimum: true", m.Pet, {**pet, "weight": 0})
    valid("3.0: nullable $ref accepts null", m.Pet, {**pet, "owner": None})

    m, _ = load("openapi31")
    valid("3.1: type arrays and const", m.Measurement, {"kind": "measurement", "value": None, "unit": 3, "reading": {"at": "2024-01-01T00:00:00Z", "ok": True}})
    invalid("3.1: const", m.Measurement, {"kind": "other", "value": 1, "unit": "kg"})
    invalid("3.1: type array without null", m.Measurement, {"kind": "measurement", "value": 1, "unit": None})

    m, _ = load("enums")
    task = {"state": "in-progress", "status": "open"}
    valid("enums: valid", m.Task, {**task, "priority": 2, "color": None})
    invalid("enums: wrong string enum", m.Task, {**task, "state": "blocked"})
    invalid("enums: wrong inline enum", m.Task, {**task, "status": "pending"})
    invalid("enums: wrong integer enum", m.Task, {**task, "priority": 4})
    invalid("enums: null not in enum", m.Task, {**task, "status": None})
    check("enums: default of an inline enum", parse(m.Task, task).mode == "safe")

    m, _ = load("discriminator")
    message = {"parts": [{"type": "text", "text": "hi"}, {"type": "image", "url": "https://example.com/a.png"}]}
    parsed = parse(m.Message, message)
    check("discriminator: variants chosen by tag", [type(p).__name__ for p in parsed.parts] == ["TextPart", "ImagePart"])
    invalid("discriminator: wrong tag", m.Message, {"parts": [{"type": "video", "url": "x"}]})
    invalid("discriminator: tag of another variant", m.Message, {"parts": [{"type": "text", "url": "x"}]})
    invalid("discriminator: minItems", m.Message, {"parts": []})
    zoo = parse(m.Message, {"parts": [{"type": "text", "text": "x"}], "animal": {"kind": "Zebra", "name": "Z", "stripes": 40}})
    check("discriminator without mapping: schema names as tags", type(zoo.animal).__name__ == "Zebra")
    invalid("discriminator without mapping: unknown tag", m.Message, {"parts": [{"type": "text", "text": "x"}], "animal": {"kind": "Tiger", "name": "T"}})

    m, _ = load("unions")
    valid("oneOf: either variant", m.Shape, {"radius": 1.5})
    valid("anyOf: string or integer", m.Id, 3)
    invalid("anyOf: neither", m.Id, [1])
    valid("anyOf with null", m.MaybePet, None)
    invalid("inline union member constraint", m.Holder, {"value": "toolong"})

    m, _ = load("allof")
    project = {"id": "p1", "name": "P", "createdAt": "2024-01-01T00:00:00Z", "owner": "ada"}
    valid("allOf: merged fields", m.Project, project)
    invalid("allOf: required merged from a later part (createdAt)", m.Project, {k: v for k, v in project.items() if k != "createdAt"})
    invalid("allOf: required of a referenced part (name)", m.Project, {k: v for k, v in project.items() if k != "name"})
    check("allOf: inheritance", issubclass(m.ArchivedProject, m.Project) and issubclass(m.Project, m.Resource))
    invalid("allOf: subclass requires its own fields", m.ArchivedProject, project)

    m, _ = load("recursion")
    tree = parse(m.Node, {"name": "root", "children": [{"name": "a", "children": [{"name": "b"}]}], "parent": None})
    check("recursion: nested", tree.children[0].children[0].name == "b")
    team = parse(m.Team, {"members": [{"name": "ada", "team": {"members": []}}]})
    check("mutual recursion", team.members[0].team.members == [])
    valid("recursive alias (a root model)", m.Document, {"body": ["a", {"b": [1.5, "c"]}]})
    invalid("recursive alias: a value of no member type", m.Document, {"body": [True, None]})

    m, _ = load("additional")
    valid("additionalProperties absent: extra allowed", m.Open, {"a": "x", "b": 1})
    invalid("additionalProperties false: extra rejected", m.Closed, {"a": "x", "b": 1})
    valid("additionalProperties schema: map", m.Counts, {"x": 1})
    invalid("additionalProperties schema: map value type", m.Counts, {"x": "one"})
    if TARGET == "pydantic-v2":
        invalid("additionalProperties schema with properties: extra value type", m.Typed, {"a": "x", "b": "one"})

    m, _ = load("names")
    f = parse(m.FieldModel, {"class": "c", "from": "f", "+1": 2, "-1": 0, "first-name": "a", "firstName": "b", "date": "2024-01-02", "_links": {}})
    check("names: keywords, digits, dashes and collisions by alias", (f.class_, f.from_, f.plus_1, f.minus_1, f.first_name, f.first_name2) == ("c", "f", 2, 0, "a", "b"))
    check("names: a field named like a type", str(f.date_) == "2024-01-02")

    m, ops = load("readwrite")
    valid("readOnly: response model has it", m.User, {"id": "u1", "name": "Ada"})
    check("readOnly: request variant lacks it", "id" not in fields_of(m.UserRequest) and "password" in fields_of(m.UserRequest))
    check("operations: request variant for a body with readOnly fields", ops.OPERATIONS["createUser"].request is m.UserRequest)

    m, ops = load("operations")
    op = ops.OPERATIONS["createSession"]
    check("operations: inline request named after the operation", op.request is m.CreateSessionRequest and op.method == "POST" and op.path == "/sessions")
    check("operations: responses by status", op.responses["201"] is m.CreateSessionResponse and op.responses["400"] is m.Problem and op.responses["default"] is m.Problem)
    check("operations: no content is None", ops.OPERATIONS["deleteSession"].responses == {"204": None})
    valid("operations: list response", ops.OPERATIONS["listSessions"].responses["200"], [{"id": "s1"}])


def fields_of(cls):
    if hasattr(cls, "model_fields"):
        return {f.alias or n for n, f in cls.model_fields.items()}
    if hasattr(cls, "__fields__"):
        return {f.alias for f in cls.__fields__.values()}
    if dataclasses.is_dataclass(cls):
        return {f.metadata.get("alias", f.name) for f in dataclasses.fields(cls)}
    return set(typing.get_type_hints(cls))


def dataclass_checks():
    m, ops = load("openapi30")
    pet = m.Pet(id=1, name="Rex", tag=None)
    check("dataclasses: optional fields default to UNSET", pet.nickname is m.UNSET and not pet.nickname and pet.notes is m.UNSET)
    check("dataclasses: required and nullable has no default", raises(TypeError, lambda: m.Pet(id=1, name="Rex")))
    check("dataclasses: keyword-only", raises(TypeError, lambda: m.Pet(1, "Rex", None)))
    m, _ = load("constraints")
    a = m.Account(id="x", handle="h", email="e", created_at=None, balance=1.0)
    check("dataclasses: defaults", (a.level, a.verified, a.nickname, a.settings) == (1, False, "anon", {"theme": "dark"}))
    check("dataclasses: mutable defaults are not shared", m.Account(id="y", handle="h", email="e", created_at=None, balance=1.0).settings is not a.settings)
    check("dataclasses: wire names in metadata", {f.name: f.metadata.get("alias") for f in dataclasses.fields(m.Account)}["created_at"] == "createdAt")
    m, _ = load("allof")
    check("dataclasses: inheritance", issubclass(m.ArchivedProject, m.Project))
    p = m.ArchivedProject(id="p", name="n", created_at="t", owner="o", archived_at="t2")
    check("dataclasses: merged required fields", p.owner == "o" and p.archived_at == "t2")
    m, _ = load("recursion")
    check("dataclasses: a recursive alias is a string alias", isinstance(m.Json, str))
    n = m.Node(name="root", children=[m.Node(name="leaf")])
    check("dataclasses: recursion", n.children[0].name == "leaf")
    check("dataclasses: type hints resolve", "children" in typing.get_type_hints(m.Node, vars(m)))
    m, ops = load("operations")
    check("dataclasses: operations map", ops.OPERATIONS["createSession"].request is m.CreateSessionRequest)
    m, _ = load("names")
    check("dataclasses: hostile names", m.FieldModel(class_="c", plus_1=1).class_ == "c")


def typeddict_checks():
    m, _ = load("openapi30")
    check("typeddict: required keys (required, and required+nullable)", m.Pet.__required_keys__ == frozenset({"id", "name", "tag"}))
    check("typeddict: optional keys", m.Pet.__optional_keys__ == frozenset({"nickname", "notes", "weight", "owner"}))
    hints = typing.get_type_hints(m.Pet)
    check("typeddict: nullable is `| None`", type(None) in typing.get_args(hints["tag"]) and type(None) not in typing.get_args(hints["nickname"]))
    m, _ = load("names")
    check("typeddict: keys that are not identifiers keep their wire names", {"class", "+1", "first-name"} <= set(m.FieldModel.__optional_keys__))
    m, _ = load("recursion")
    check("typeddict: recursive type hints resolve", "children" in typing.get_type_hints(m.Node))
    m, _ = load("allof")
    check("typeddict: inheritance merges keys", {"id", "name", "createdAt", "owner", "archivedAt"} <= m.ArchivedProject.__required_keys__)
    m, ops = load("operations")
    check("typeddict: operations map", ops.OPERATIONS["createSession"].request is m.CreateSessionRequest)


def raises(kind, fn):
    try:
        fn()
    except kind:
        return True
    return False


if TARGET.startswith("pydantic"):
    pydantic_checks()
elif TARGET == "dataclasses":
    dataclass_checks()
else:
    typeddict_checks()
print(f"{TARGET}: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
