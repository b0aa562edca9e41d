/**
 * Python names for schema names and property names: valid identifiers, never keywords, never a
 * name the generated module itself needs, and unique within their scope. Every rule here is
 * deterministic: the same spec gives the same names on any machine.
 */

export const pythonKeywords = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield',
]);

/**
 * Names a generated module imports or defines besides the models. A schema with one of these
 * names gets a `Model` suffix; a field with one of these names gets a trailing underscore (a class
 * attribute named `date` would shadow the type `date` while pydantic evaluates annotations).
 */
export const moduleNames = new Set([
  'Annotated', 'Any', 'AwareDatetime', 'BaseModel', 'ConfigDict', 'Enum', 'Extra', 'Field', 'Literal', 'NotRequired', 'Optional',
  'TypeAlias', 'TypedDict', 'UUID', 'Union', 'date', 'datetime', 'time', 'timedelta', 'dataclass', 'field', 'AfterValidator',
  'BeforeValidator', 'validator', 'constr', 'conint', 'confloat', 'conlist', 'Decimal', 'Unset', 'UNSET', 'Operation', 'OPERATIONS',
  'annotations', 'str', 'int', 'float', 'bool', 'bytes', 'list', 'dict',
]);

/**
 * Capitalized builtins: a class with such a name is looked up before the module defines it (while
 * annotations are resolved) and the builtin wins, so `Warning` would become the exception class.
 */
const builtinClasses = new Set([
  'ArithmeticError', 'AssertionError', 'AttributeError', 'BaseException', 'BaseExceptionGroup', 'BlockingIOError', 'BrokenPipeError',
  'BufferError', 'BytesWarning', 'ChildProcessError', 'ConnectionAbortedError', 'ConnectionError', 'ConnectionRefusedError',
  'ConnectionResetError', 'DeprecationWarning', 'EOFError', 'Ellipsis', 'EncodingWarning', 'EnvironmentError', 'Exception',
  'ExceptionGroup', 'FileExistsError', 'FileNotFoundError', 'FloatingPointError', 'FutureWarning', 'GeneratorExit', 'IOError',
  'ImportError', 'ImportWarning', 'IndentationError', 'IndexError', 'InterruptedError', 'IsADirectoryError', 'KeyError',
  'KeyboardInterrupt', 'LookupError', 'MemoryError', 'ModuleNotFoundError', 'NameError', 'NotADirectoryError', 'NotImplemented',
  'NotImplementedError', 'OSError', 'OverflowError', 'PendingDeprecationWarning', 'PermissionError', 'ProcessLookupError',
  'RecursionError', 'ReferenceError', 'ResourceWarning', 'RuntimeError', 'RuntimeWarning', 'StopAsyncIteration', 'StopIteration',
  'SyntaxError', 'SyntaxWarning', 'SystemError', 'SystemExit', 'TabError', 'TimeoutError', 'TypeError', 'UnboundLocalError',
  'UnicodeDecodeError', 'UnicodeEncodeError', 'UnicodeError', 'UnicodeTranslateError', 'UnicodeWarning', 'UserWarning', 'ValueError',
  'Warning', 'ZeroDivisionError',
]);

/** Attributes of pydantic's BaseModel (v1 and v2): a field may not shadow them. */
const modelAttributes = new Set([
  'copy', 'dict', 'json', 'parse_obj', 'parse_raw', 'parse_file', 'from_orm', 'schema', 'schema_json', 'construct', 'validate',
  'update_forward_refs', 'fields', 'Config', 'model_config', 'model_fields', 'model_computed_fields', 'model_extra', 'model_fields_set',
  'model_construct', 'model_copy', 'model_dump', 'model_dump_json', 'model_json_schema', 'model_parametrized_name', 'model_post_init',
  'model_rebuild', 'model_validate', 'model_validate_json', 'model_validate_strings', 'register', 'mro',
]);

function words(raw: string): string[] {
  return raw
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

/**
 * Pure functions of a string, called for every property of every schema: remembered, because
 * large specs repeat the same few thousand names. (A bounded cache of pure results, not state.)
 */
function memo(fn: (s: string) => string): (s: string) => string {
  const cache = new Map<string, string>();
  return (s) => {
    let r = cache.get(s);
    if (r === undefined) {
      if (cache.size > 50_000) cache.clear();
      r = fn(s);
      cache.set(s, r);
    }
    return r;
  };
}

/** `actions-can-approve` → `ActionsCanApprove`; `SessionSummary` stays; `2fa` → `Model2fa`. */
export const className = memo(classNameOf);
/** The PascalCase fragment a property or value contributes to a derived class name. */
export const pascal = memo(pascalOf);
/** `agentId` → `agent_id`; `class` → `class_`; `+1` → `plus_1`; `_links` → `links`. */
export const fieldName = memo(fieldNameOf);

function classNameOf(raw: string): string {
  const ascii = raw.normalize('NFKD').replace(/[^\x00-\x7f]/g, '');
  const parts = ascii.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let name = parts.map((p) => p[0].toUpperCase() + p.slice(1)).join('');
  if (name === '') name = 'Model';
  if (/^[0-9]/.test(name)) name = 'Model' + name;
  if (pythonKeywords.has(name) || moduleNames.has(name) || builtinClasses.has(name)) name += 'Model';
  return name;
}

function pascalOf(raw: string): string {
  const ascii = raw.normalize('NFKD').replace(/[^\x00-\x7f]/g, '');
  return words(ascii)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

function fieldNameOf(raw: string): string {
  let s = raw.normalize('NFKD').replace(/[^\x00-\x7f]/g, '');
  s = s.replace(/^\+/, 'plus_').replace(/^-(?=[0-9])/, 'minus_').replace(/^@/, '');
  const w = words(s).map((p) => p.toLowerCase());
  let name = w.join('_');
  if (name === '') name = 'field';
  if (/^[0-9]/.test(name)) name = 'field_' + name;
  if (pythonKeywords.has(name) || moduleNames.has(name) || modelAttributes.has(name) || name.startsWith('model_')) name += '_';
  return name;
}

export function isIdentifier(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) && !pythonKeywords.has(s);
}

/** Hands out unique names in one scope; the first claimant of a name keeps it. */
export class NameScope {
  private readonly taken = new Set<string>();
  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.taken.add(r);
  }
  claim(base: string): string {
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = /[0-9]$/.test(base) ? `${base}_${n}` : `${base}${n}`;
    this.taken.add(name);
    return name;
  }
  has(name: string): boolean {
    return this.taken.has(name);
  }
}

/** `UPPER_SNAKE` member names for Enum classes. */
export function memberName(value: unknown): string {
  let s = typeof value === 'string' ? value : String(value);
  if (typeof value === 'number') s = (value < 0 ? 'MINUS_' : '') + String(Math.abs(value)).replace('.', '_');
  const w = words(s.normalize('NFKD').replace(/[^\x00-\x7f]/g, ''));
  let name = w.join('_').toUpperCase();
  if (name === '') name = 'EMPTY';
  if (/^[0-9]/.test(name)) name = 'VALUE_' + name;
  if (pythonKeywords.has(name)) name += '_';
  return name;
}
