import type { Finding, Span } from '../findings';
import type { ValidationMode } from '../config/config';
import type { HttpMethod } from '../spec/operations';

/**
 * A replacement of `[start, end)` in `file` (UTF-16 offsets into the text the check read) by
 * `newText`. Quick fixes and lens commands carry these; the doors convert offsets to positions
 * against the document version the result was computed for.
 */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  newText: string;
}

/** One quick fix for a coverage finding: a title for the menu and the edits that make it. */
export interface CoverageFix {
  title: string;
  kind: 'declare-typed' | 'declare-raw' | 'remove' | 'rename' | 'add-model' | 'replace-model' | 'add-to-all' | 'add-import';
  /** The fix to apply when the user asks for "the" fix (VS Code's preferred quick fix). */
  isPreferred?: boolean;
  edits: TextEdit[];
}

/** A model name as written in a declaration (`CreateSessionRequest`, or `"201": Session` in YAML). */
export interface ModelRef {
  name: string;
  span: Span;
  /** The status it answers, when the declarations say (YAML `responses:` mapping). */
  status?: string;
}

/** A string entry of a declared list: an operationId (or an SDK operation key) in a set or list. */
export interface DeclEntry {
  value: string;
  /** The token as written, quotes included. */
  span: Span;
  /** The characters of the value itself (what a rename replaces). */
  contentSpan: Span;
}

export type ListKind = 'all' | 'raw' | 'strict';

/** A declared list of operations: the hand-kept "all" set, a raw set or list, a strict set. */
export interface DeclList {
  kind: ListKind;
  /** The variable (Python) or key (YAML) that holds it. */
  name: string;
  nameSpan: Span;
  entries: DeclEntry[];
  /** False when the value is not a literal the fixes can edit (a call, an expression). */
  editable: boolean;
}

/** One typed operation as declared: `TypedOperationContract(...)` or an item of `typed:`. */
export interface TypedDecl {
  /** The SDK operation key (`sessions.create`). */
  key?: string;
  keySpan?: Span;
  /** Python: the dict key the contract is stored under, when the module uses a dict. */
  dictKey?: DeclEntry;
  operationId?: string;
  idEntry?: DeclEntry;
  request?: ModelRef;
  /** The written value of the request model (`None`, a name, absent) for replacing it. */
  requestSpan?: Span;
  responses: ModelRef[];
  /** The written value of the response models (tuple, mapping, list), for adding one. */
  responsesSpan?: Span;
  /** True when responses are keyed by status. */
  responsesByStatus: boolean;
  strict: boolean;
  /** The whole entry (dict pair, list item). */
  span: Span;
}

/** A problem reading the declarations (wrong shape, a value that is not a literal). */
export interface DeclProblem {
  message: string;
  span: Span;
  data?: Record<string, unknown>;
}

/** Source-specific editing of a declarations file; every method returns edits, never writes. */
export interface DeclarationsEditor {
  /** Inserts a typed declaration before `before` (or at the end). */
  insertTyped(entry: NewTypedEntry, before: TypedDecl | undefined): TextEdit[];
  removeTyped(decl: TypedDecl): TextEdit[];
  /** Inserts an entry into a list before `before` (or at the end); creates the list when needed. */
  insertEntry(kind: ListKind, value: string, before: DeclEntry | undefined): TextEdit[];
  removeEntry(kind: ListKind, entry: DeclEntry): TextEdit[];
  /** Adds a response model to a typed declaration. */
  addResponse(decl: TypedDecl, model: string, status: string | undefined): TextEdit[];
  /** Sets (or clears, with undefined) the request model of a typed declaration. */
  setRequest(decl: TypedDecl, model: string | undefined): TextEdit[];
  /** Replaces a model name where it is written. */
  replaceModel(ref: ModelRef, model: string): TextEdit[];
  /** Makes model names usable in the file (Python: adds them to the models import). */
  ensureModels(names: string[]): TextEdit[];
}

/** What "declare typed" writes for an operation. */
export interface NewTypedEntry {
  key: string;
  operationId: string;
  request?: string;
  /** Response models, with their status when known. */
  responses: { status: string; model: string }[];
}

/** The declarations of one project, read from a Python contracts module or a YAML file. */
export interface Declarations {
  source: 'python' | 'yaml';
  file: string;
  text: string;
  /** The mode the declarations file sets (YAML `mode:`), if any. */
  mode?: ValidationMode;
  typed: TypedDecl[];
  /** The variable or key holding the typed declarations, when there is one. */
  typedName?: { name: string; span: Span };
  all?: DeclList;
  raw?: DeclList;
  /** True when raw is "all minus typed" (Python `RAW = ALL - {c.operation_id for c in ...}`, or no raw variable next to an all set). */
  rawDerived: boolean;
  strict?: DeclList;
  /** Names bound in the module (imports, classes, assignments); Python only. */
  boundNames?: Set<string>;
  /** The module has a `from ... import *`, so any name may be bound. */
  starImport?: boolean;
  /** Packages (absolute paths of files or folders) the module imports model names from. */
  importedModules?: string[];
  problems: DeclProblem[];
  editor: DeclarationsEditor;
}

export type CoverageState = 'typed' | 'raw' | 'undeclared';

/** One spec operation and how the declarations cover it. */
export interface OperationCoverage {
  method: HttpMethod;
  path: string;
  operationId?: string;
  tags: string[];
  /** The root spec this operation belongs to. */
  spec: string;
  /** The method key of the operation (where an operation's lens goes). */
  span: Span;
  /** The operationId value, when there is one. */
  idSpan?: Span;
  state: CoverageState;
  /** SDK operation key (typed operations). */
  key?: string;
  request?: string;
  responses: { status?: string; model: string }[];
  strict: boolean;
  /** Validation mode the SDK applies: the project mode or `strict` for typed operations. */
  mode?: ValidationMode;
  /** Where the operation is declared (the typed entry, the raw entry, the all-set entry). */
  declaration?: Span;
  /** The models the spec documents: the `$ref`'d JSON request body and 2XX JSON responses (no model: inline schema). */
  documented: { request?: string; responses: { status: string; model?: string }[] };
}

/** One entry of the declarations file and where it points in the spec (for the entry lenses). */
export interface DeclarationTarget {
  kind: 'typed' | ListKind;
  value: string;
  span: Span;
  /** The operation it names; undefined when it names none (stale). */
  operation?: { method: HttpMethod; path: string; operationId: string; span: Span };
}

export interface CoverageTotals {
  operations: number;
  typed: number;
  raw: number;
  undeclared: number;
  strict: number;
}

/**
 * What the coverage check of one project produced: the operation-by-operation partition, the
 * totals, the findings, and the parsed declarations the quick fixes edit. Plain data; tied to the
 * texts the check read (edits carry offsets into those texts).
 */
export interface CoverageResult {
  source: 'python' | 'yaml';
  /** The declarations file. */
  file: string;
  /** The project's default validation mode. */
  mode: ValidationMode;
  /** Where the model names were found: generated output, the module's imports, the spec's schemas. */
  modelsFrom: 'generate' | 'imports' | 'spec' | 'none';
  /** The model names found there (what declarations may name; completion offers them). Empty when no declaration names a model. */
  models?: string[];
  operations: OperationCoverage[];
  targets: DeclarationTarget[];
  totals: CoverageTotals;
  findings: Finding[];
  declarations: Declarations;
  /** Root spec files, in config order (the summary lens goes at the top of each). */
  specs: string[];
}
