import { runSteps } from '../steps';
import type { AstNode, ObjectNode, PropertyNode } from '../parse/ast';
import { stringValue } from '../parse/ast';
import type { Span } from '../findings';
import type { SpecGraph } from './graph';

export const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof httpMethods)[number];
const methodSet = new Set<string>(httpMethods);

export interface ParameterInfo {
  name: string;
  in: string;
  required: boolean;
  /** Where it is declared: the parameter object (or the `$ref` that brings it in). */
  span: Span;
  /** The `name` value, when there is one to point at. */
  nameSpan?: Span;
  level: 'path-item' | 'operation';
}

export interface MediaInfo {
  mediaType: string;
  span: Span;
  /** The schema node as written (maybe a `$ref`), and the file it is in. */
  schema?: { file: string; node: AstNode };
  /** The `$ref` string of the schema, when it is one. */
  schemaRef?: string;
}

export interface ResponseInfo {
  status: string;
  span: Span;
  media: MediaInfo[];
}

/** One operation of the spec, with the source span of every part a check or a lens points at. */
export interface Operation {
  method: HttpMethod;
  path: string;
  operationId?: string;
  operationIdSpan?: Span;
  summary?: string;
  tags: string[];
  deprecated: boolean;
  /** The file holding the operation object (a path item may live in another file). */
  file: string;
  node: ObjectNode;
  span: Span;
  /** The `paths` key, in the root document. */
  pathSpan: Span;
  pathProperty: PropertyNode;
  /** The method key of the operation. */
  methodSpan: Span;
  parameters: ParameterInfo[];
  requestBody?: { span: Span; required: boolean; media: MediaInfo[] };
  responses: ResponseInfo[];
  /** The `responses` key, when present. */
  responsesSpan?: Span;
}

export interface PathItemInfo {
  path: string;
  property: PropertyNode;
  /** The `paths` key, in the root document. */
  pathSpan: Span;
  /** The resolved path item and its file. */
  file: string;
  node: ObjectNode;
  parameters: ParameterInfo[];
  operations: Operation[];
}

export interface OperationIndex {
  version?: string;
  pathItems: PathItemInfo[];
  operations: Operation[];
  byOperationId: Map<string, Operation[]>;
}

function spanOf(file: string, node: { start: number; end: number }): Span {
  return { file, start: node.start, end: node.end };
}

function keySpan(file: string, p: PropertyNode): Span {
  return { file, start: p.keyStart, end: p.keyEnd };
}

function readParameters(graph: SpecGraph, file: string, list: AstNode | undefined, level: ParameterInfo['level']): ParameterInfo[] {
  if (list?.kind !== 'array') return [];
  const out: ParameterInfo[] = [];
  for (const item of list.items) {
    const resolved = graph.deref(file, item);
    if (!resolved || resolved.node.kind !== 'object') continue;
    const nameNode = resolved.node.map.get('name')?.value;
    const name = stringValue(nameNode);
    const where = stringValue(resolved.node.map.get('in')?.value);
    if (name === undefined || where === undefined) continue;
    const sameFile = resolved.node === item;
    out.push({
      name,
      in: where,
      required: resolved.node.map.get('required')?.value.kind === 'scalar' && (resolved.node.map.get('required')!.value as { value: unknown }).value === true,
      span: spanOf(file, item),
      nameSpan: sameFile && nameNode ? spanOf(file, nameNode) : undefined,
      level,
    });
  }
  return out;
}

function readContent(graph: SpecGraph, file: string, content: AstNode | undefined): MediaInfo[] {
  if (content?.kind !== 'object') return [];
  return content.properties.map((p) => {
    const m: MediaInfo = { mediaType: p.key, span: keySpan(file, p) };
    if (p.value.kind === 'object') {
      const schema = p.value.map.get('schema')?.value;
      if (schema) {
        m.schema = { file, node: schema };
        const ref = schema.kind === 'object' ? stringValue(schema.map.get('$ref')?.value) : undefined;
        if (ref !== undefined) m.schemaRef = ref;
      }
    }
    return m;
  });
}

/** Builds the operation index from a loaded spec graph. Tolerates any shape: missing parts are skipped. */
export function indexOperations(graph: SpecGraph): OperationIndex {
  return runSteps(indexOperationsSteps(graph));
}

/** {@link indexOperations}, pausing (yielding) every 500 path items: Microsoft Graph's 47 MB hold 14,000 of them. */
export function* indexOperationsSteps(graph: SpecGraph): Generator<void, OperationIndex> {
  const index: OperationIndex = { pathItems: [], operations: [], byOperationId: new Map() };
  let seen = 0;
  const rootDoc = graph.documents.get(graph.root);
  const root = rootDoc?.root;
  if (root?.kind !== 'object') return index;
  index.version = stringValue(root.map.get('openapi')?.value);
  const paths = root.map.get('paths')?.value;
  if (paths?.kind !== 'object') return index;
  for (const pathProp of paths.properties) {
    if (++seen % 500 === 0) yield;
    if (pathProp.key.startsWith('x-')) continue;
    const resolved = graph.deref(graph.root, pathProp.value);
    if (!resolved || resolved.node.kind !== 'object') continue;
    const file = resolved.file;
    const itemNode = resolved.node;
    const item: PathItemInfo = {
      path: pathProp.key,
      property: pathProp,
      pathSpan: keySpan(graph.root, pathProp),
      file,
      node: itemNode,
      parameters: readParameters(graph, file, itemNode.map.get('parameters')?.value, 'path-item'),
      operations: [],
    };
    for (const mp of itemNode.properties) {
      if (!methodSet.has(mp.key)) continue;
      const opResolved = graph.deref(file, mp.value);
      if (!opResolved || opResolved.node.kind !== 'object') continue;
      const opFile = opResolved.file;
      const op = opResolved.node;
      const idNode = op.map.get('operationId')?.value;
      const operationId = stringValue(idNode);
      const own = readParameters(graph, opFile, op.map.get('parameters')?.value, 'operation');
      // Operation-level parameters override path-level ones with the same name and location.
      const merged = [...item.parameters.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
      const tagsNode = op.map.get('tags')?.value;
      const operation: Operation = {
        method: mp.key as HttpMethod,
        path: pathProp.key,
        operationId: operationId,
        operationIdSpan: idNode ? spanOf(opFile, idNode) : undefined,
        summary: stringValue(op.map.get('summary')?.value),
        tags: tagsNode?.kind === 'array' ? tagsNode.items.map(stringValue).filter((t): t is string => t !== undefined) : [],
        deprecated: op.map.get('deprecated')?.value.kind === 'scalar' && (op.map.get('deprecated')!.value as { value: unknown }).value === true,
        file: opFile,
        node: op,
        span: spanOf(opFile, op),
        pathSpan: keySpan(graph.root, pathProp),
        pathProperty: pathProp,
        methodSpan: keySpan(file, mp),
        parameters: merged,
        responses: [],
      };
      const body = graph.deref(opFile, op.map.get('requestBody')?.value);
      if (body && body.node.kind === 'object') {
        const req = body.node.map.get('required')?.value;
        operation.requestBody = {
          span: spanOf(opFile, op.map.get('requestBody')!.value),
          required: req?.kind === 'scalar' && req.value === true,
          media: readContent(graph, body.file, body.node.map.get('content')?.value),
        };
      }
      const responsesProp = op.map.get('responses');
      if (responsesProp) {
        operation.responsesSpan = keySpan(opFile, responsesProp);
        const responses = graph.deref(opFile, responsesProp.value);
        if (responses && responses.node.kind === 'object') {
          for (const rp of responses.node.properties) {
            if (rp.key.startsWith('x-')) continue;
            const r = graph.deref(responses.file, rp.value);
            operation.responses.push({
              status: rp.key,
              span: keySpan(responses.file, rp),
              media: r && r.node.kind === 'object' ? readContent(graph, r.file, r.node.map.get('content')?.value) : [],
            });
          }
        }
      }
      item.operations.push(operation);
      index.operations.push(operation);
      if (operationId !== undefined) {
        const list = index.byOperationId.get(operationId);
        if (list) list.push(operation);
        else index.byOperationId.set(operationId, [operation]);
      }
    }
    index.pathItems.push(item);
  }
  return index;
}

export interface TemplateParam {
  name: string;
  /** Offsets of `{name}` within the path string. */
  from: number;
  to: number;
}

/** The `{name}` parameters of a path template, in order. */
export function templateParameters(template: string): TemplateParam[] {
  const out: TemplateParam[] = [];
  const re = /\{([^{}]*)\}/g;
  for (let m = re.exec(template); m; m = re.exec(template)) out.push({ name: m[1], from: m.index, to: m.index + m[0].length });
  return out;
}
