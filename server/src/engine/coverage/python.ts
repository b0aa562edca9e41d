import type { Span } from '../findings';
import type { ParsedSource, SyntaxNode } from '../source/treesitter';
import type { CoverageConfig } from '../config/config';
import type { DeclEntry, DeclList, DeclProblem, Declarations, DeclarationsEditor, ListKind, ModelRef, NewTypedEntry, TextEdit, TypedDecl } from './model';
import { commaAfter, eolOf, insertIntoSequence, leadingIndent, lineStart, nextLineStart, removeFromSequence, restOfLineBlank, type Item } from './textEdit';

/**
 * Reads the reference project's Python shape without running Python: a dict (or list) of
 * `TypedOperationContract(...)` calls, set literals of operationIds (all, raw, strict) and the
 * idiom `RAW = ALL - {c.operation_id for c in TYPED.values()}`. Works on the tree-sitter tree, so
 * a half-typed module still yields what can be read, and every entry keeps its exact range.
 */

type Names = CoverageConfig['python'];

interface Binding {
  name: string;
  nameNode: SyntaxNode;
  value: SyntaxNode;
}

/** Positional order of the contract class's fields (the dataclass in the reference project). */
const positional = ['operation_key', 'operation_id', 'request_model', 'response_models'];

const named = (n: SyntaxNode | null | undefined): SyntaxNode[] => (n ? (n.namedChildren.filter((c) => c !== null) as SyntaxNode[]) : []);
const all = (n: SyntaxNode): SyntaxNode[] => n.children.filter((c) => c !== null) as SyntaxNode[];
const withoutComments = (nodes: SyntaxNode[]) => nodes.filter((c) => c.type !== 'comment');

/** Where a module's model names come from: `from .models import X` resolved to files. */
export type ModuleResolver = (module: string, level: number) => string[];

export function readPythonDeclarations(src: ParsedSource, names: Names, resolve: ModuleResolver, modelsModule: string | undefined): Declarations {
  const file = src.path;
  const text = src.text;
  const span = (n: { startIndex: number; endIndex: number }): Span => ({ file, start: n.startIndex, end: n.endIndex });
  const problems: DeclProblem[] = [];
  const bindings = new Map<string, Binding>();
  const boundNames = new Set<string>();
  const importedModules: string[] = [];
  const imports: SyntaxNode[] = [];
  let starImport = false;

  const visitStatements = (nodes: SyntaxNode[], topLevel: boolean) => {
    for (const st of nodes) {
      switch (st.type) {
        case 'expression_statement': {
          const a = named(st)[0];
          if (a?.type === 'assignment') {
            const left = a.childForFieldName('left');
            const right = a.childForFieldName('right');
            if (left?.type === 'identifier') {
              boundNames.add(left.text);
              if (right && topLevel) bindings.set(left.text, { name: left.text, nameNode: left, value: right });
            }
          }
          break;
        }
        case 'import_from_statement': {
          imports.push(st);
          const mod = st.childForFieldName('module_name');
          if (named(st).some((c) => c.type === 'wildcard_import')) starImport = true;
          for (const n of st.childrenForFieldName('name')) {
            if (!n) continue;
            boundNames.add(n.type === 'aliased_import' ? (n.childForFieldName('alias')?.text ?? '') : lastSegment(n.text));
          }
          if (mod) {
            const level = mod.type === 'relative_import' ? (named(mod).find((c) => c.type === 'import_prefix')?.text.length ?? 0) : 0;
            const dotted = mod.type === 'relative_import' ? (named(mod).find((c) => c.type === 'dotted_name')?.text ?? '') : mod.text;
            importedModules.push(...resolve(dotted, level));
          }
          break;
        }
        case 'import_statement':
          for (const n of st.childrenForFieldName('name')) {
            if (!n) continue;
            boundNames.add(n.type === 'aliased_import' ? (n.childForFieldName('alias')?.text ?? '') : n.text.split('.')[0]);
          }
          break;
        case 'class_definition':
        case 'function_definition': {
          const name = st.childForFieldName('name');
          if (name) boundNames.add(name.text);
          break;
        }
        case 'decorated_definition': {
          const name = st.childForFieldName('definition')?.childForFieldName('name');
          if (name) boundNames.add(name.text);
          break;
        }
        case 'if_statement':
        case 'try_statement':
          // `if TYPE_CHECKING:` and `try: ... except ImportError:` blocks still bind names.
          for (const block of st.descendantsOfType('block')) if (block) visitStatements(named(block), false);
          break;
      }
    }
  };
  const root = src.tree.rootNode;
  visitStatements(named(root), true);

  const resolveValue = (n: SyntaxNode, depth = 0): SyntaxNode => {
    if (n.type === 'identifier' && depth < 10) {
      const b = bindings.get(n.text);
      if (b && b.value !== n) return resolveValue(b.value, depth + 1);
    }
    if (n.type === 'parenthesized_expression' && named(n).length === 1) return resolveValue(named(n)[0], depth + 1);
    return n;
  };

  // Typed declarations.
  const typed: TypedDecl[] = [];
  const callInfo = new Map<TypedDecl, { call: SyntaxNode; args: Map<string, SyntaxNode>; pair?: SyntaxNode }>();
  let typedContainer: SyntaxNode | undefined;
  let template: SyntaxNode | undefined;
  const typedBinding = bindings.get(names.contractsVariable);
  if (typedBinding) {
    let container = resolveValue(typedBinding.value);
    let dictItems: { pair?: SyntaxNode; call: SyntaxNode }[] = [];
    if (container.type === 'dictionary_comprehension') {
      // {c.operation_key: c for c in CONTRACTS}: the contracts are in the iterated list.
      const iter = container.descendantsOfType('for_in_clause')[0]?.childForFieldName('right');
      container = iter ? resolveValue(iter) : container;
    }
    if (container.type === 'dictionary') {
      for (const item of withoutComments(named(container))) {
        if (item.type !== 'pair') {
          problems.push({ message: `${names.contractsVariable}: this entry is not a "key": ${names.contractClass}(...) pair, so Contract Lens cannot read it.`, span: span(item) });
          continue;
        }
        dictItems.push({ pair: item, call: item.childForFieldName('value')! });
      }
      typedContainer = container;
    } else if (container.type === 'list' || container.type === 'tuple' || container.type === 'set') {
      dictItems = withoutComments(named(container)).map((call) => ({ call }));
      typedContainer = container;
    } else {
      problems.push({ message: `${names.contractsVariable} is not a dict or list of ${names.contractClass}(...) calls, so Contract Lens cannot read the typed operations.`, span: span(typedBinding.nameNode) });
    }
    for (const { pair, call } of dictItems) {
      const fn = call?.type === 'call' ? call.childForFieldName('function') : undefined;
      if (!call || !fn || lastSegment(fn.text) !== names.contractClass) {
        problems.push({ message: `This entry of ${names.contractsVariable} is not a ${names.contractClass}(...) call, so Contract Lens cannot read it.`, span: span(call ?? pair!) });
        continue;
      }
      template ??= call;
      const args = new Map<string, SyntaxNode>();
      let i = 0;
      for (const arg of withoutComments(named(call.childForFieldName('arguments')))) {
        if (arg.type === 'keyword_argument') {
          const k = arg.childForFieldName('name')?.text;
          const v = arg.childForFieldName('value');
          if (k && v) args.set(k, v);
        } else if (i < positional.length) {
          args.set(positional[i++], arg);
        }
      }
      const whole = pair ?? call;
      const decl: TypedDecl = { responses: [], responsesByStatus: false, strict: false, span: span(whole) };
      const keyNode = pair?.childForFieldName('key');
      if (keyNode) {
        const k = stringEntry(keyNode, file);
        if (k) decl.dictKey = k;
      }
      const keyArg = args.get('operation_key');
      const keyEntry = keyArg ? stringEntry(keyArg, file) : undefined;
      if (keyEntry) {
        decl.key = keyEntry.value;
        decl.keySpan = keyEntry.span;
      } else if (decl.dictKey) {
        decl.key = decl.dictKey.value;
        decl.keySpan = decl.dictKey.span;
      }
      const idArg = args.get('operation_id');
      const idEntry = idArg ? stringEntry(idArg, file) : undefined;
      if (idEntry) {
        decl.operationId = idEntry.value;
        decl.idEntry = idEntry;
      } else {
        problems.push({ message: `${names.contractClass}(...) needs operation_id="..." as a string literal to be checked against the spec.`, span: span(idArg ?? fn) });
      }
      const req = args.get('request_model');
      if (req) {
        decl.requestSpan = span(req);
        if (req.type !== 'none') decl.request = modelRef(req, file);
      }
      const res = args.get('response_models');
      if (res) {
        decl.responsesSpan = span(res);
        const inner = res.type === 'parenthesized_expression' && named(res).length === 1 ? named(res)[0] : res;
        const items = inner.type === 'tuple' || inner.type === 'list' ? withoutComments(named(inner)) : inner.type === 'none' ? [] : [inner];
        for (const m of items) decl.responses.push(modelRef(m, file));
      }
      const strictArg = args.get('strict');
      const modeArg = args.get('validation_mode') ?? args.get('mode');
      decl.strict = strictArg?.type === 'true' || (modeArg !== undefined && stringEntry(modeArg, file)?.value === 'strict');
      typed.push(decl);
      callInfo.set(decl, { call, args, pair });
    }
  }

  // The sets.
  const lists = new Map<ListKind, { list: DeclList; container?: SyntaxNode; binding: Binding }>();
  const readSet = (kind: ListKind, variable: string) => {
    const b = bindings.get(variable);
    if (!b) return;
    const v = literalSet(b.value, resolveValue);
    const list: DeclList = { kind, name: variable, nameSpan: span(b.nameNode), entries: [], editable: v !== undefined };
    if (v) {
      for (const el of v.items) {
        const e = stringEntry(el, file);
        if (e) list.entries.push(e);
        else problems.push({ message: `${variable}: only string literals can be checked; this entry is skipped.`, span: span(el) });
      }
    }
    lists.set(kind, { list, container: v?.node, binding: b });
    return v;
  };
  readSet('all', names.allVariable);
  readSet('strict', names.strictVariable);
  let rawDerived = false;
  const rawBinding = bindings.get(names.rawVariable);
  if (rawBinding) {
    const v = resolveValue(unwrapSetCall(rawBinding.value));
    if (v.type === 'binary_operator' && v.childForFieldName('operator')?.text === '-' && isAllRef(v.childForFieldName('left'), names, resolveValue) && isTypedIds(v.childForFieldName('right'), names, resolveValue)) {
      rawDerived = true;
    } else if (!readSet('raw', names.rawVariable)) {
      problems.push({ message: `${names.rawVariable} is neither a set literal nor ${names.allVariable} - {c.operation_id for c in ${names.contractsVariable}.values()}, so Contract Lens cannot read the raw operations.`, span: span(rawBinding.nameNode) });
    }
  } else if (lists.has('all')) {
    rawDerived = true;
  }
  for (const [kind, variable] of [['all', names.allVariable], ['strict', names.strictVariable]] as const) {
    const b = bindings.get(variable);
    if (b && !lists.get(kind)?.list.editable) {
      problems.push({ message: `${variable} is not a set literal of operationIds, so Contract Lens cannot read it.`, span: span(b.nameNode) });
    }
  }

  const decls: Declarations = {
    source: 'python',
    file,
    text,
    typed,
    typedName: typedBinding ? { name: typedBinding.name, span: span(typedBinding.nameNode) } : undefined,
    all: lists.get('all')?.list,
    raw: lists.get('raw')?.list,
    rawDerived,
    strict: lists.get('strict')?.list,
    boundNames,
    starImport,
    importedModules,
    problems,
    editor: undefined as unknown as DeclarationsEditor,
  };
  if (!typedBinding) {
    problems.push({ message: `No ${names.contractsVariable} in this module: nothing is declared typed (the variable names are set under coverage.python in contract-lens.yaml).`, span: { file, start: 0, end: 0 } });
  }
  decls.editor = new PythonEditor(decls, names, { typedContainer, template, callInfo, lists, imports, root, modelsModule, bindings });
  return decls;
}

function lastSegment(dotted: string): string {
  const i = dotted.lastIndexOf('.');
  return i < 0 ? dotted : dotted.slice(i + 1);
}

/** A plain string literal (no f-string, no concatenation), with the range of its content. */
function stringEntry(n: SyntaxNode, file: string): DeclEntry | undefined {
  if (n.type !== 'string') return undefined;
  const parts = all(n);
  const start = parts.find((c) => c.type === 'string_start');
  const end = parts.find((c) => c.type === 'string_end');
  if (!start || !end || /[fFbB]/.test(start.text) || parts.some((c) => c.type === 'interpolation' || c.type === 'escape_sequence')) return undefined;
  const value = parts.filter((c) => c.type === 'string_content').map((c) => c.text).join('');
  return { value, span: { file, start: n.startIndex, end: n.endIndex }, contentSpan: { file, start: start.endIndex, end: end.startIndex } };
}

/** `Session`, `models.Session`, `list[Session]` → the model's name and where it is written. */
function modelRef(n: SyntaxNode, file: string): ModelRef {
  let target = n;
  if (n.type === 'subscript') {
    const sub = n.childForFieldName('subscript');
    if (sub) target = sub;
  }
  if (target.type === 'attribute') target = target.childForFieldName('attribute') ?? target;
  return { name: target.text, span: { file, start: target.startIndex, end: target.endIndex } };
}

function unwrapSetCall(n: SyntaxNode): SyntaxNode {
  if (n.type === 'call') {
    const fn = n.childForFieldName('function')?.text;
    const args = withoutComments(named(n.childForFieldName('arguments')));
    if ((fn === 'frozenset' || fn === 'set') && args.length === 1) return unwrapSetCall(args[0]);
  }
  return n;
}

/** The literal behind a set variable: `{...}`, `frozenset({...})`, `[...]`, or `set()` (empty). */
function literalSet(n: SyntaxNode, resolve: (n: SyntaxNode) => SyntaxNode): { node: SyntaxNode; items: SyntaxNode[] } | undefined {
  const v = resolve(unwrapSetCall(n));
  if (v.type === 'set' || v.type === 'list' || v.type === 'tuple') return { node: v, items: withoutComments(named(v)) };
  if (v.type === 'call') {
    const fn = v.childForFieldName('function')?.text;
    if ((fn === 'frozenset' || fn === 'set') && withoutComments(named(v.childForFieldName('arguments'))).length === 0) return { node: v, items: [] };
  }
  return undefined;
}

function isAllRef(n: SyntaxNode | null, names: Names, resolve: (n: SyntaxNode) => SyntaxNode): boolean {
  if (!n) return false;
  const u = unwrapSetCall(n);
  return u.type === 'identifier' && u.text === names.allVariable && resolve(u) !== u;
}

/** `{c.operation_id for c in TYPED.values()}`, `set(TYPED)`, `TYPED.keys()` or a variable bound to one. */
function isTypedIds(n: SyntaxNode | null, names: Names, resolve: (n: SyntaxNode) => SyntaxNode): boolean {
  if (!n) return false;
  const u = resolve(unwrapSetCall(n));
  if (u.type === 'identifier') return u.text === names.contractsVariable;
  return u.descendantsOfType('identifier').some((i) => i?.text === names.contractsVariable);
}

interface EditorState {
  typedContainer?: SyntaxNode;
  template?: SyntaxNode;
  callInfo: Map<TypedDecl, { call: SyntaxNode; args: Map<string, SyntaxNode>; pair?: SyntaxNode }>;
  lists: Map<ListKind, { list: DeclList; container?: SyntaxNode; binding: Binding }>;
  imports: SyntaxNode[];
  root: SyntaxNode;
  /** Module to import new model names from when the module imports none yet (e.g. `.models`). */
  modelsModule?: string;
  bindings: Map<string, Binding>;
}

const itemOf = (n: SyntaxNode): Item => ({ start: n.startIndex, end: n.endIndex });

/** Edits a Python contracts module in place, keeping its layout, quotes and order. */
class PythonEditor implements DeclarationsEditor {
  private readonly file: string;
  private readonly text: string;
  private readonly eol: string;
  private readonly quote: string;

  constructor(
    private readonly decls: Declarations,
    private readonly names: Names,
    private readonly s: EditorState,
  ) {
    this.file = decls.file;
    this.text = decls.text;
    this.eol = eolOf(decls.text);
    const firstString = s.root.descendantsOfType('string_start').find((n) => n && (n.text === '"' || n.text === "'"));
    this.quote = firstString?.text ?? '"';
  }

  private q(value: string): string {
    return `${this.quote}${value}${this.quote}`;
  }

  private edit(start: number, end: number, newText: string): TextEdit {
    return { file: this.file, start, end, newText };
  }

  insertTyped(entry: NewTypedEntry, before: TypedDecl | undefined): TextEdit[] {
    const container = this.s.typedContainer;
    const isDict = container ? container.type === 'dictionary' : true;
    const items = container ? withoutComments(named(container)) : [];
    const template = this.s.template;
    const cls = template?.childForFieldName('function')?.text ?? this.names.contractClass;
    const args = [
      `operation_key=${this.q(entry.key)}`,
      `operation_id=${this.q(entry.operationId)}`,
      `request_model=${entry.request ?? 'None'}`,
      `response_models=${tupleOf([...new Set(entry.responses.map((r) => r.model))])}`,
    ];
    const keyPart = isDict ? `${this.q(entry.key)}: ` : '';
    // Lay the new entry out like the first existing one: arguments one per line or inline.
    const first = items[0];
    const entryIndent = first ? (leadingIndent(this.text, first.startIndex) ?? '') : '    ';
    const argList = template?.childForFieldName('arguments');
    const firstArg = argList ? withoutComments(named(argList))[0] : undefined;
    const argIndent = firstArg ? leadingIndent(this.text, firstArg.startIndex) : first ? undefined : entryIndent + '    ';
    let rendered: string;
    if (argIndent !== undefined) {
      const lastArg = argList ? withoutComments(named(argList)).at(-1) : undefined;
      const trailing = lastArg ? this.text.slice(lastArg.endIndex, argList!.endIndex).trimStart().startsWith(',') : true;
      rendered = `${keyPart}${cls}(${this.eol}${args.map((a, i) => `${argIndent}${a}${trailing || i < args.length - 1 ? ',' : ''}`).join(this.eol)}${this.eol}${entryIndent})`;
    } else {
      rendered = `${keyPart}${cls}(${args.join(', ')})`;
    }
    const edits: TextEdit[] = [];
    if (!container) {
      const eol = this.eol;
      const body = `${this.names.contractsVariable} = {${eol}${entryIndent}${rendered},${eol}}${eol}`;
      edits.push(this.appendStatement(body));
    } else {
      const beforeIndex = before ? items.findIndex((n) => n.startIndex === before.span.start || n.startIndex === this.s.callInfo.get(before)?.call.startIndex) : undefined;
      const open = container.startIndex;
      const close = container.endIndex - 1;
      if (items.length === 0 && leadingIndent(this.text, container.startIndex) === undefined) {
        edits.push(this.edit(open + 1, close, `${this.eol}${entryIndent}${rendered},${this.eol}`));
      } else {
        edits.push(...insertIntoSequence(this.file, this.text, open, close, items.map(itemOf), beforeIndex !== undefined && beforeIndex >= 0 ? beforeIndex : undefined, [rendered]));
      }
    }
    edits.push(...this.ensureModels([...(entry.request ? [entry.request] : []), ...entry.responses.map((r) => r.model)]));
    return edits;
  }

  removeTyped(decl: TypedDecl): TextEdit[] {
    const info = this.s.callInfo.get(decl);
    const container = this.s.typedContainer;
    if (!info || !container) return [];
    const items = withoutComments(named(container));
    const node = info.pair ?? info.call;
    const index = items.findIndex((n) => n.startIndex === node.startIndex);
    if (index < 0) return [];
    if (items.length === 1) {
      // The only entry: an empty container remains (`{}` is the empty dict, as intended).
      const comma = commaAfter(this.text, node.endIndex) ?? node.endIndex;
      if (leadingIndent(this.text, node.startIndex) !== undefined && restOfLineBlank(this.text, comma, false)) {
        return [this.edit(lineStart(this.text, node.startIndex), nextLineStart(this.text, comma), '')];
      }
      return [this.edit(node.startIndex, comma, '')];
    }
    return [removeFromSequence(this.file, this.text, items.map(itemOf), index)];
  }

  insertEntry(kind: ListKind, value: string, before: DeclEntry | undefined): TextEdit[] {
    const l = this.s.lists.get(kind);
    const item = this.q(value);
    if (!l) {
      const variable = kind === 'all' ? this.names.allVariable : kind === 'raw' ? this.names.rawVariable : this.names.strictVariable;
      return [this.appendStatement(`${variable} = {${item}}${this.eol}`)];
    }
    const c = l.container;
    if (!c) return [];
    if (c.type === 'call') {
      // set() / frozenset(): an empty set written as a call.
      const fn = c.childForFieldName('function')!.text;
      return [this.edit(c.startIndex, c.endIndex, fn === 'set' ? `{${item}}` : `${fn}({${item}})`)];
    }
    const items = withoutComments(named(c));
    const beforeIndex = before ? items.findIndex((n) => n.startIndex === before.span.start) : -1;
    return insertIntoSequence(this.file, this.text, c.startIndex, c.endIndex - 1, items.map(itemOf), beforeIndex >= 0 ? beforeIndex : undefined, [item]);
  }

  removeEntry(kind: ListKind, entry: DeclEntry): TextEdit[] {
    const c = this.s.lists.get(kind)?.container;
    if (!c || c.type === 'call') return [];
    const items = withoutComments(named(c));
    const index = items.findIndex((n) => n.startIndex === entry.span.start);
    if (index < 0) return [];
    if (items.length === 1) {
      // `{}` would be a dict: the empty set is `set()`.
      return [this.edit(c.startIndex, c.endIndex, c.type === 'set' ? 'set()' : c.type === 'list' ? '[]' : '()')];
    }
    return [removeFromSequence(this.file, this.text, items.map(itemOf), index)];
  }

  addResponse(decl: TypedDecl, model: string): TextEdit[] {
    const info = this.s.callInfo.get(decl);
    if (!info) return [];
    const edits: TextEdit[] = [];
    const res = info.args.get('response_models');
    if (!res) {
      edits.push(...this.addArgument(info.call, `response_models=${tupleOf([model])}`));
    } else if (res.type === 'tuple' || res.type === 'list') {
      const items = withoutComments(named(res));
      if (leadingIndent(this.text, items[0]?.startIndex ?? res.startIndex) !== undefined && items.length > 0) {
        edits.push(...insertIntoSequence(this.file, this.text, res.startIndex, res.endIndex - 1, items.map(itemOf), undefined, [model]));
      } else {
        const names = [...items.map((n) => n.text), model];
        edits.push(this.edit(res.startIndex, res.endIndex, res.type === 'list' ? `[${names.join(', ')}]` : tupleOf(names)));
      }
    } else if (res.type === 'none') {
      edits.push(this.edit(res.startIndex, res.endIndex, tupleOf([model])));
    } else {
      const inner = res.type === 'parenthesized_expression' && named(res).length === 1 ? named(res)[0] : res;
      edits.push(this.edit(res.startIndex, res.endIndex, tupleOf([inner.text, model])));
    }
    edits.push(...this.ensureModels([model]));
    return edits;
  }

  setRequest(decl: TypedDecl, model: string | undefined): TextEdit[] {
    const info = this.s.callInfo.get(decl);
    if (!info) return [];
    const req = info.args.get('request_model');
    const edits: TextEdit[] = [];
    if (req) edits.push(this.edit(req.startIndex, req.endIndex, model ?? 'None'));
    else if (model) edits.push(...this.addArgument(info.call, `request_model=${model}`, info.args.get('response_models')));
    if (model) edits.push(...this.ensureModels([model]));
    return edits;
  }

  replaceModel(ref: ModelRef, model: string): TextEdit[] {
    const edits = [this.edit(ref.span.start, ref.span.end, model)];
    // A misspelt name is usually misspelt in the import too: fix it there when nothing else uses it.
    const othersUse = this.decls.typed.some((t) => [t.request, ...t.responses].some((r) => r && r !== ref && r.name === ref.name));
    const imported = othersUse ? undefined : this.s.imports.flatMap((st) => st.childrenForFieldName('name')).find((n) => n?.type === 'dotted_name' && n.text === ref.name);
    if (imported && !this.decls.boundNames?.has(model)) edits.push(this.edit(imported.startIndex, imported.endIndex, model));
    else edits.push(...this.ensureModels([model]));
    return edits;
  }

  ensureModels(wanted: string[]): TextEdit[] {
    if (this.decls.starImport) return [];
    const missing = [...new Set(wanted)].filter((n) => !this.decls.boundNames?.has(n));
    if (missing.length === 0) return [];
    // The import that already brings in model names (the one naming the most used models).
    const used = new Set(this.decls.typed.flatMap((t) => [...(t.request ? [t.request.name] : []), ...t.responses.map((r) => r.name)]));
    let best: { st: SyntaxNode; score: number } | undefined;
    for (const st of this.s.imports) {
      const score = st.childrenForFieldName('name').filter((n) => n && used.has(lastSegment(n.text))).length;
      if (score > 0 && (!best || score > best.score)) best = { st, score };
    }
    if (!best) {
      if (!this.s.modelsModule) return [];
      return [this.appendImport(`from ${this.s.modelsModule} import ${missing.sort().join(', ')}${this.eol}`)];
    }
    const nameNodes = best.st.childrenForFieldName('name').filter((n): n is SyntaxNode => n !== null);
    const texts = nameNodes.map((n) => n.text);
    const sorted = texts.every((t, i) => i === 0 || texts[i - 1] <= t);
    const paren = all(best.st).find((c) => c.type === '(');
    const closeParen = all(best.st).find((c) => c.type === ')');
    // Group new names by the existing name they go before, so each place gets one edit.
    const groups = new Map<number | undefined, string[]>();
    for (const name of missing.sort()) {
      const at = sorted ? texts.findIndex((t) => t > name) : -1;
      const key = at >= 0 ? at : undefined;
      groups.set(key, [...(groups.get(key) ?? []), name]);
    }
    const edits: TextEdit[] = [];
    for (const [at, group] of groups) {
      if (paren && closeParen) edits.push(...insertIntoSequence(this.file, this.text, paren.startIndex, closeParen.startIndex, nameNodes.map(itemOf), at, group));
      else if (at !== undefined) edits.push(this.edit(nameNodes[at].startIndex, nameNodes[at].startIndex, group.map((g) => `${g}, `).join('')));
      else edits.push(this.edit(nameNodes.at(-1)!.endIndex, nameNodes.at(-1)!.endIndex, group.map((g) => `, ${g}`).join('')));
    }
    return edits;
  }

  /** Adds `name=value` to a call, before `before` or at the end, in the call's layout. */
  private addArgument(call: SyntaxNode, arg: string, before?: SyntaxNode): TextEdit[] {
    const list = call.childForFieldName('arguments');
    if (!list) return [];
    const args = withoutComments(named(list));
    const beforeArg = before ? args.findIndex((a) => a.startIndex <= before.startIndex && before.endIndex <= a.endIndex) : -1;
    return insertIntoSequence(this.file, this.text, list.startIndex, list.endIndex - 1, args.map(itemOf), beforeArg >= 0 ? beforeArg : undefined, [arg]);
  }

  /** A new top-level statement at the end of the module. */
  private appendStatement(statement: string): TextEdit {
    const t = this.text;
    const sep = t.length === 0 || t.endsWith('\n\n') ? '' : t.endsWith('\n') ? this.eol : this.eol + this.eol;
    return this.edit(t.length, t.length, sep + statement);
  }

  /** A new import after the module's last top-level import (or at the top). */
  private appendImport(statement: string): TextEdit {
    const tops = named(this.s.root).filter((n) => n.type === 'import_from_statement' || n.type === 'import_statement' || n.type === 'future_import_statement');
    const last = tops.at(-1);
    const at = last ? nextLineStart(this.text, last.endIndex) : 0;
    return this.edit(at, at, statement);
  }
}

export function tupleOf(names: string[]): string {
  return names.length === 1 ? `(${names[0]},)` : `(${names.join(', ')})`;
}
