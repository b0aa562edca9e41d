import { finding, type Finding, type Span } from '../findings';
import { itemsPerSlice } from '../steps';
import { keySubSpan, stringValue, type ObjectNode } from '../parse/ast';
import type { SpecGraph } from '../spec/graph';
import { templateParameters, type Operation, type OperationIndex } from '../spec/operations';

/**
 * Structural checks of a spec: what must hold for the document to describe an API at all, before
 * any parity, coverage or quality question can be asked. Pauses (yields) every few thousand
 * operations or paths, so that the server's check of a large spec lets requests in.
 */
export function* checkStructureSteps(graph: SpecGraph, index: OperationIndex): Generator<void, Finding[]> {
  const out: Finding[] = [];
  checkVersion(graph, out);
  yield* checkOperationIds(index, out);
  yield* checkPathParameters(index, out);
  yield* checkResponses(index, out);
  yield* checkDuplicatePaths(graph, index, out);
  return out;
}

function checkVersion(graph: SpecGraph, out: Finding[]): void {
  const root = graph.documents.get(graph.root)?.root;
  if (root?.kind !== 'object') return;
  const swagger = root.map.get('swagger');
  const openapi = root.map.get('openapi');
  if (swagger && !openapi) {
    out.push(
      finding('spec.unsupported-version', `Swagger ${String(stringValue(swagger.value) ?? '2.0')} is not supported: Contract Lens checks OpenAPI 3.0, 3.1 and 3.2. Convert the document to OpenAPI 3 to check it.`, span(graph.root, swagger.value), { data: { version: stringValue(swagger.value) } }),
    );
    return;
  }
  if (!openapi) return;
  const v = openapi.value.kind === 'scalar' ? String(openapi.value.value) : '';
  if (!/^3\.[0-2](\.\d+)?(-[\w.]+)?$/.test(v)) {
    out.push(finding('spec.unsupported-version', `OpenAPI version "${v}" is not supported: Contract Lens checks OpenAPI 3.0, 3.1 and 3.2.`, span(graph.root, openapi.value), { data: { version: v } }));
  }
}

function span(file: string, node: { start: number; end: number }): Span {
  return { file, start: node.start, end: node.end };
}

/** A camelCase identifier from method and path: GET /api/sessions/{id} → getApiSessionsById. */
export function suggestOperationId(method: string, path: string, taken: ReadonlySet<string>): string {
  const words: string[] = [];
  for (const seg of path.split('/')) {
    if (!seg) continue;
    const param = /^\{(.+)\}$/.exec(seg);
    const raw = param ? `by ${param[1]}` : seg;
    for (const w of raw.split(/[^A-Za-z0-9]+/)) if (w) words.push(w);
  }
  const base = [method.toLowerCase(), ...words.map((w) => w[0].toUpperCase() + w.slice(1))].join('');
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}${n}`;
  return candidate;
}

function* checkOperationIds(index: OperationIndex, out: Finding[]): Generator<void, void> {
  const taken = new Set(index.byOperationId.keys());
  let work = 0;
  for (const op of index.operations) {
    if (++work % itemsPerSlice === 0) yield;
    if (op.operationId !== undefined && op.operationId !== '') continue;
    const suggested = suggestOperationId(op.method, op.path, taken);
    taken.add(suggested);
    const where = op.operationIdSpan ?? op.methodSpan;
    out.push(
      finding('spec.missing-operation-id', `${op.method.toUpperCase()} ${op.path} has no operationId; SDKs, coverage declarations and generated models need one to name it.`, where, {
        data: { method: op.method, path: op.path, suggestedOperationId: suggested },
      }),
    );
  }
  for (const [id, ops] of index.byOperationId) {
    if (++work % itemsPerSlice === 0) yield;
    if (ops.length < 2 || id === '') continue;
    const [first, ...rest] = ops;
    for (const op of rest) {
      out.push(
        finding('spec.duplicate-operation-id', `operationId "${id}" of ${op.method.toUpperCase()} ${op.path} is already used by ${first.method.toUpperCase()} ${first.path}; operationIds must be unique.`, op.operationIdSpan!, {
          related: [{ span: first.operationIdSpan!, message: `"${id}" first used by ${first.method.toUpperCase()} ${first.path}` }],
          data: { operationId: id, method: op.method, path: op.path, suggestedOperationId: suggestOperationId(op.method, op.path, taken) },
        }),
      );
    }
  }
}

function* checkPathParameters(index: OperationIndex, out: Finding[]): Generator<void, void> {
  let work = 0;
  for (const item of index.pathItems) {
    if (++work % itemsPerSlice === 0) yield;
    const template = templateParameters(item.path);
    const names = new Set(template.map((t) => t.name));
    // {name} in the template that some operation does not declare.
    for (const t of template) {
      const missingIn = item.operations.filter((op) => !op.parameters.some((p) => p.in === 'path' && p.name === t.name));
      if (missingIn.length === 0) continue;
      if (missingIn.length === item.operations.length) {
        const s = keySubSpan(item.property, t.from, t.to);
        out.push(
          finding('spec.undeclared-path-parameter', `Path parameter "${t.name}" of ${item.path} is not declared: add a parameter with name "${t.name}" and in: path.`, { file: item.pathSpan.file, ...s }, {
            data: { path: item.path, name: t.name, methods: missingIn.map((o) => o.method) },
          }),
        );
      } else {
        for (const op of missingIn) {
          out.push(
            finding('spec.undeclared-path-parameter', `${op.method.toUpperCase()} ${item.path} does not declare its path parameter "${t.name}".`, op.methodSpan, {
              data: { path: item.path, name: t.name, methods: [op.method] },
            }),
          );
        }
      }
    }
    // in: path parameters that the template does not have; path-item level ones once.
    const reported = new Set<string>();
    const report = (p: Operation['parameters'][number], where: string) => {
      const key = `${p.level}:${p.span.file}:${p.span.start}`;
      if (reported.has(key)) return;
      reported.add(key);
      out.push(
        finding('spec.unused-path-parameter', `Path parameter "${p.name}" is declared ${where} but ${item.path} has no {${p.name}}.`, p.nameSpan ?? p.span, {
          data: { path: item.path, name: p.name },
        }),
      );
    };
    for (const p of item.parameters) if (p.in === 'path' && !names.has(p.name)) report(p, 'for the path');
    for (const op of item.operations) {
      for (const p of op.parameters) if (p.level === 'operation' && p.in === 'path' && !names.has(p.name)) report(p, `by ${op.method.toUpperCase()}`);
    }
  }
}

const statusPattern = /^([1-5](\d\d|XX)|default)$/;

function* checkResponses(index: OperationIndex, out: Finding[]): Generator<void, void> {
  let work = 0;
  for (const op of index.operations) {
    if (++work % itemsPerSlice === 0) yield;
    if (!op.responsesSpan) {
      out.push(finding('spec.missing-responses', `${op.method.toUpperCase()} ${op.path} documents no responses.`, op.methodSpan, { data: { method: op.method, path: op.path } }));
      continue;
    }
    if (op.responses.length === 0) {
      out.push(finding('spec.missing-responses', `${op.method.toUpperCase()} ${op.path} has an empty responses object: document at least one status.`, op.responsesSpan, { data: { method: op.method, path: op.path } }));
    }
    for (const r of op.responses) {
      if (statusPattern.test(r.status)) continue;
      const repaired = r.status.replace(/[oO]/g, '0').replace(/[xX]/g, 'X');
      out.push(
        finding('spec.invalid-status-code', `Response key "${r.status}" is not an HTTP status code (100-599), a range such as 2XX, or "default".`, r.span, {
          data: { status: r.status, ...(statusPattern.test(repaired) ? { suggestion: repaired } : {}) },
        }),
      );
    }
  }
}

function* checkDuplicatePaths(graph: SpecGraph, index: OperationIndex, out: Finding[]): Generator<void, void> {
  const seen = new Map<string, { path: string; node: ObjectNode | undefined; span: Span }>();
  let work = 0;
  for (const item of index.pathItems) {
    if (++work % itemsPerSlice === 0) yield;
    const shape = item.path.replace(/\{[^{}]*\}/g, '{}').replace(/\/+$/, '') || '/';
    const s: Span = { file: graph.root, start: item.property.keyStart, end: item.property.keyEnd };
    const prior = seen.get(shape);
    if (prior && prior.path !== item.path) {
      out.push(
        finding('spec.duplicate-path', `${item.path} describes the same route as ${prior.path} (only parameter names or a trailing slash differ).`, s, {
          related: [{ span: prior.span, message: `${prior.path} declared here` }],
          data: { path: item.path, other: prior.path },
        }),
      );
    } else if (!prior) {
      seen.set(shape, { path: item.path, node: item.node, span: s });
    }
  }
}
