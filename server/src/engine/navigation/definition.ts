import type { CheckResult } from '../engine';
import type { Span } from '../findings';
import type { Operation } from '../spec/operations';
import type { CallMatch, RouteMatch } from '../parity/parity';
import { pointerLocation, trimmedEnd, useAt, within } from './locate';
import type { NavigationView, NavSpec } from './view';

/**
 * A place to go: the whole target (a component's key and value, a route registration) and the part
 * to select in it (the key, the path literal). `origin` is the span under the cursor the link
 * starts from, when there is one to underline.
 */
export interface NavTarget {
  origin?: Span;
  target: Span;
  selection: Span;
}

/**
 * Go to definition: from a `$ref` value (or a discriminator mapping) to what it points at, in
 * this file or another; from an operationId in the typed-coverage declarations to the operation;
 * from a route registration or an SDK call to the spec operation.
 */
export function definitionAt(view: NavigationView, offset: number): NavTarget[] {
  const hit = useAt(view, offset);
  if (hit) {
    const target = hit.use.target;
    const doc = target ? hit.spec.graph.documents.get(target.file) ?? view.document(target.file) : undefined;
    const loc = doc && target ? pointerLocation(doc, target.segments) : undefined;
    if (!loc) return [];
    return [{ origin: { file: hit.use.file, start: hit.use.node.start, end: hit.use.node.end }, target: loc.target, selection: loc.selection }];
  }
  const declared = declarationAt(view, offset);
  if (declared.length) return declared;
  return sourceToOperation(view, offset);
}

/**
 * Go to implementation: from a spec operation (its method key or operationId; or a path key, for
 * every operation of the path) to the server routes that register it and the SDK calls that call
 * it; and back, from a route registration or an SDK call to its operation.
 */
export function implementationsAt(view: NavigationView, offset: number): NavTarget[] {
  const ops = operationsAt(view, offset);
  if (ops.length) {
    const out: NavTarget[] = [];
    for (const { op, spec, origin } of ops) {
      const link = linkOf(spec.result, op);
      for (const r of link?.routes ?? []) out.push({ origin, target: r.route.callSpan, selection: r.route.span });
      for (const c of link?.calls ?? []) out.push({ origin, target: c.call.callSpan, selection: c.call.span });
    }
    return out;
  }
  return sourceToOperation(view, offset);
}

/** The operations under the cursor in a spec file, with the span the cursor is on. */
export function operationsAt(view: NavigationView, offset: number): { op: Operation; spec: NavSpec; origin: Span }[] {
  const out: { op: Operation; spec: NavSpec; origin: Span }[] = [];
  for (const spec of view.specs) {
    for (const op of spec.index.operations) {
      if (op.methodSpan.file === view.file && within(offset, op.methodSpan)) out.push({ op, spec, origin: op.methodSpan });
      else if (op.operationIdSpan?.file === view.file && within(offset, op.operationIdSpan)) out.push({ op, spec, origin: op.operationIdSpan });
      else if (op.pathSpan.file === view.file && within(offset, op.pathSpan)) out.push({ op, spec, origin: op.pathSpan });
    }
    if (out.length) break;
  }
  return out;
}

/** The parity links of an operation, matched by spec, method and path (the result's operation objects may be older). */
export function linkOf(result: CheckResult, op: Operation): { routes: RouteMatch[]; calls: CallMatch[] } | undefined {
  if (!result.parity) return undefined;
  for (const [o, link] of result.parity.links) {
    if (o.method === op.method && o.path === op.path && o.pathSpan.file === op.pathSpan.file) return link;
  }
  return undefined;
}

/** The operation of the current spec that a (maybe older) operation object stands for. */
function currentOperation(view: NavigationView, result: CheckResult, op: Operation): Operation {
  for (const spec of view.specsOf(result)) {
    const found = spec.index.operations.find((o) => o.method === op.method && o.path === op.path && o.pathSpan.file === op.pathSpan.file);
    if (found) return found;
  }
  return op;
}

function toOperation(view: NavigationView, result: CheckResult, op: Operation, origin: Span): NavTarget {
  const current = currentOperation(view, result, op);
  const file = current.methodSpan.file;
  const doc = view.document(file);
  // The operation object may live in a third file (`get: {$ref: ...}`); then only its key is here.
  const end = doc && current.file === file ? Math.max(current.methodSpan.end, trimmedEnd(doc.text, current.span)) : current.methodSpan.end;
  return { origin, target: { file, start: current.methodSpan.start, end }, selection: current.methodSpan };
}

/** A route registration or an SDK call under the cursor (from the call's start through its path argument). */
function sourceToOperation(view: NavigationView, offset: number): NavTarget[] {
  const out: NavTarget[] = [];
  for (const result of view.results) {
    const parity = result.parity;
    if (!parity) continue;
    for (const m of parity.routes) {
      const r = m.route;
      if (!m.operation || r.span.file !== view.file) continue;
      if (within(offset, r.span) || (offset >= r.callSpan.start && offset <= r.span.end)) out.push(toOperation(view, result, m.operation, r.span));
    }
    for (const c of parity.calls) {
      if (!c.operation || c.call.span.file !== view.file) continue;
      if (within(offset, c.call.span) || (offset >= c.call.callSpan.start && offset <= c.call.span.end)) out.push(toOperation(view, result, c.operation, c.call.span));
    }
  }
  return out;
}

/** An operationId (or SDK key) in the typed-coverage declarations → the operation it names. */
function declarationAt(view: NavigationView, offset: number): NavTarget[] {
  const out: NavTarget[] = [];
  for (const result of view.results) {
    const coverage = result.coverage;
    if (!coverage || coverage.file !== view.file) continue;
    for (const t of coverage.targets) {
      if (!t.operation || t.span.file !== view.file || !within(offset, t.span)) continue;
      const op = result.specs.flatMap((s) => s.index.operations).find((o) => o.operationId === t.operation!.operationId && o.method === t.operation!.method && o.path === t.operation!.path);
      if (op) out.push(toOperation(view, result, op, t.span));
    }
  }
  return out;
}
