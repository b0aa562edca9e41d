import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assignment, atom, call, classLine, dict, importFrom, kw, list, sub, union, type Expr } from '../../server/src/engine/generate/pyformat';
import { docstring, pyString } from '../../server/src/engine/generate/emit';

const s = (x: string) => atom(pyString(x));
const lit = (...xs: string[]) => sub('Literal', xs.map(s));

// Each expectation is what black 24 (Debian's black 23.1 with the rules black 24 made stable) prints
// for the statement; test/python/black_check.py confirms the generated modules as a whole.
test('long statements split exactly where black splits them', () => {
  const cases: [string, string][] = [
    [
      assignment('kind', lit('status', 'message', 'tool_call', 'tool_result', 'log', 'other'), call('Field', [kw('default', s('status'))]), 1),
      '    kind: Literal["status", "message", "tool_call", "tool_result", "log", "other"] = (\n        Field(default="status")\n    )',
    ],
    [
      assignment('kind2', lit('status', 'message', 'tool_call', 'tool_result', 'log', 'other', 'more', 'evenmore', 'x'), call('Field', [kw('default', s('status')), kw('description', s('hello'))]), 1),
      '    kind2: Literal[\n        "status",\n        "message",\n        "tool_call",\n        "tool_result",\n        "log",\n        "other",\n        "more",\n        "evenmore",\n        "x",\n    ] = Field(default="status", description="hello")',
    ],
    [
      assignment('run_id', union([atom('str'), atom('None')]), call('Field', [kw('alias', s('runId')), kw('description', s('The run that produced this message, if any.'))]), 1),
      '    run_id: str | None = Field(\n        alias="runId", description="The run that produced this message, if any."\n    )',
    ],
    [
      assignment('run_id', union([atom('str'), atom('None')]), call('Field', [kw('alias', s('runId')), kw('description', s('The run that produced this message, if any. And more text here'))]), 1),
      '    run_id: str | None = Field(\n        alias="runId",\n        description="The run that produced this message, if any. And more text here",\n    )',
    ],
    [
      assignment('caches', atom('int'), call('Field', [kw('description', s('The sum of the size in bytes of all the active cache items in the repository.'))]), 1),
      '    caches: int = Field(\n        description="The sum of the size in bytes of all the active cache items in the repository."\n    )',
    ],
    [
      assignment('very_long_field_name_number_one', union([atom('VeryLongClassNameNumberOne'), atom('VeryLongClassNameNumberTwo'), atom('None')]), atom('None'), 1),
      '    very_long_field_name_number_one: (\n        VeryLongClassNameNumberOne | VeryLongClassNameNumberTwo | None\n    ) = None',
    ],
    [
      assignment('status', atom('VeryLongClassNameNumberOneVeryLongClassNameNumberTwoVeryLong'), atom('VeryLongClassNameNumberOne.ACTIVE'), 1),
      '    status: VeryLongClassNameNumberOneVeryLongClassNameNumberTwoVeryLong = (\n        VeryLongClassNameNumberOne.ACTIVE\n    )',
    ],
    [
      assignment('x', union([sub('dict', [atom('str'), atom('VeryLongClassNameNumberOneVeryLongClassNameNumberTwoVeryLongxxxxxxxxxxxxx')]), atom('None')]), atom('None'), 1),
      '    x: dict[\n        str, VeryLongClassNameNumberOneVeryLongClassNameNumberTwoVeryLongxxxxxxxxxxxxx\n    ] | None = None',
    ],
    [
      assignment('Foo', atom('TypeAlias'), sub('Annotated', [union(['TextPartXXXXXXXXXXXX', 'ToolCallPartXXXXXXXXXXXXXXXXX', 'ToolCallPartXXXXXXXXXXXXXXXXX', 'ToolCallPartXXXXXXXXXXXXXXXXX'].map(atom)), call('Field', [kw('discriminator', s('type'))])]), 0),
      'Foo: TypeAlias = Annotated[\n    TextPartXXXXXXXXXXXX\n    | ToolCallPartXXXXXXXXXXXXXXXXX\n    | ToolCallPartXXXXXXXXXXXXXXXXX\n    | ToolCallPartXXXXXXXXXXXXXXXXX,\n    Field(discriminator="type"),\n]',
    ],
    [
      assignment('Foo', atom('TypeAlias'), union(['TextPartXXXXXXXXXXXX', 'ToolCallPartXXXXXXXXXXXXXXXXX', 'ToolCallPartXXXXXXXXXXXXXXXXX'].map(atom)), 0),
      'Foo: TypeAlias = (\n    TextPartXXXXXXXXXXXX | ToolCallPartXXXXXXXXXXXXXXXXX | ToolCallPartXXXXXXXXXXXXXXXXX\n)',
    ],
    [classLine('VeryLongClassNameNumberOneVeryLongClassNameNumberTwoVeryLongxxxxxxxxxx', ['VeryLongBaseName']), 'class VeryLongClassNameNumberOneVeryLongClassNameNumberTwoVeryLongxxxxxxxxxx(\n    VeryLongBaseName\n):'],
    [importFrom('typing', ['Annotated', 'Any', 'Literal', 'TypeAlias', 'Aaaaaaaaaaa', 'Bbbbbbbbbbbbbbb', 'Ccccccccccc']), 'from typing import (\n    Annotated,\n    Any,\n    Literal,\n    TypeAlias,\n    Aaaaaaaaaaa,\n    Bbbbbbbbbbbbbbb,\n    Ccccccccccc,\n)'],
    [
      assignment('OPS', undefined, dict([[s('createSession'), call('Operation', [kw('method', s('POST')), kw('path', s('/api/sessions')), kw('request', atom('CreateSessionRequest')), kw('responses', dict([[s('201'), atom('Session')], [s('400'), atom('Error')]]))])]]), 0),
      'OPS = {\n    "createSession": Operation(\n        method="POST",\n        path="/api/sessions",\n        request=CreateSessionRequest,\n        responses={"201": Session, "400": Error},\n    )\n}',
    ],
  ];
  for (const [actual, expected] of cases) assert.equal(actual, expected);
});

test('the direct routes for common statements give exactly what the general splitter gives', () => {
  const words = ['a', 'name', 'agent_id', 'a_rather_long_field_name', 'an_exceptionally_long_field_name_for_testing_purposes'];
  const types: Expr[] = [atom('str'), union([atom('str'), atom('None')]), sub('list', [atom('VeryLongModelNameForTesting')]), union([sub('dict', [atom('str'), atom('SomeVeryLongModelNameWithManyWords')]), atom('None')])];
  const texts = ['x', 'A short description.', 'A description that is long enough to push the line over the limit by itself, surely.'];
  let compared = 0;
  for (const name of words)
    for (const t of types)
      for (const text of texts)
        for (const n of [1, 2, 3]) {
          const args = [kw('default', atom('None')), kw('alias', s(name.replace(/_/g, '-'))), kw('description', s(text))].slice(0, n);
          for (const depth of [0, 1]) {
            assert.equal(assignment(name, t, call('Field', args), depth, 'fast'), assignment(name, t, call('Field', args), depth, 'general'));
            compared++;
          }
        }
  const longTypes = ['Model', 'AVeryLongModelNameThatKeepsGoingAndGoing', 'PullRequestReviewCommentLinksAndSomeMoreWordsToBeLong'];
  for (const name of words)
    for (const m of longTypes)
      for (const v of ['None', '"a default"', 'SomeEnum.SOME_MEMBER_WITH_A_LONG_NAME_FOR_TESTING_ONLY']) {
        const ann = sub('Annotated', [union([atom(m), atom('None')]), atom('_NotNull')]);
        assert.equal(assignment(name, ann, atom(v), 1, 'fast'), assignment(name, ann, atom(v), 1, 'general'));
        assert.equal(assignment(name, sub('list', [atom(m)]), atom(v), 1, 'fast'), assignment(name, sub('list', [atom(m)]), atom(v), 1, 'general'));
        compared += 2;
      }
  for (const n of [2, 3, 40]) {
    const names = Array.from({ length: n }, (_, i) => s(`ModelNumber${i}WithALongishName`));
    assert.equal(assignment('__all__', undefined, list(names), 0, 'fast'), assignment('__all__', undefined, list(names), 0, 'general'));
    const entries = Array.from({ length: n }, (_, i): [Expr, Expr] => [
      s(`operation-${i}-${'x'.repeat(i * 7)}`),
      call('Operation', [kw('operation_id', s(`operation-${i}`)), kw('method', s('GET')), kw('request', atom('None')), kw('responses', dict(Array.from({ length: i % 3 }, (_, j): [Expr, Expr] => [s(`${200 + j}`), atom(`ResponseModelNumber${j}${'Y'.repeat(i * 5)}`)])))]),
    ]);
    assert.equal(assignment('OPERATIONS', atom('dict[str, Operation]'), dict(entries), 0, 'fast'), assignment('OPERATIONS', atom('dict[str, Operation]'), dict(entries), 0, 'general'));
    compared += 2;
  }
  const names = Array.from({ length: 30 }, (_, i) => `Name${i}`);
  assert.equal(importFrom('._generated', names, 'fast'), importFrom('._generated', names, 'general'));
  assert.ok(compared > 200);
});

test('strings and docstrings are written as black normalizes them', () => {
  assert.equal(pyString('plain'), '"plain"');
  assert.equal(pyString('say "hi"'), '\'say "hi"\'');
  assert.equal(pyString('it\'s "x"'), "'it\\'s \"x\"'");
  assert.equal(pyString('back\\slash\nnew\u0000\u2028'), '"back\\\\slash\\nnew\\x00\\u2028"');
  assert.equal(docstring('One line.', 1), '    """One line."""');
  assert.equal(docstring('  Padded "quote"', 1), '    """Padded "quote" """');
  assert.equal(docstring('"Quoted" start', 0), '""" "Quoted" start"""');
  assert.equal(docstring('First\n\n    indented\n\tline  \n\n', 1), '    """First\n\n    indented\n        line"""');
  assert.equal(docstring('Has """ inside and a \\ backslash', 0), '"""Has ""\\" inside and a \\\\ backslash"""');
  const longLast = `Short first line.\n${'x'.repeat(84)}"`;
  assert.equal(docstring(longLast, 1), `    """Short first line.\n    ${'x'.repeat(84)}"\n    """`);
});
