import * as path from 'node:path';
import type { IFunctionResult, ISpectralDiagnostic, RulesetDefinition } from '@stoplight/spectral-core';
import type { SpecResult } from '../context';
import type { QualityConfig } from '../config/config';
import type { FindingCode } from '../codes';
import { finding, type Finding, type RelatedInfo, type Span } from '../findings';
import type { AstNode, ObjectNode } from '../parse/ast';
import { stringValue } from '../parse/ast';
import { httpMethods, type Operation, type ResponseInfo } from '../spec/operations';
import { parsePointer, resolvePointer } from '../spec/pointer';
import { suggestOperationId } from '../checks/structure';
import { jsonModel } from '../coverage/check';
import { didYouMean } from '../similarity';
import type { Locator } from './locate';
import type { TypedTarget } from './model';
import { contentSchemas, jsonMedia, looseness, propertyNames, subschemaKeys, subschemaListKeys, subschemaMapKeys, type Located, type Looseness } from './schemas';

/** The built-in rules, by finding code (each is one Spectral rule of that name). */
export const builtinCodes = [
  'quality.operation-id-not-identifier',
  'quality.missing-request-schema',
  'quality.missing-response-schema',
  'quality.loose-schema',
  'quality.required-not-in-properties',
  'quality.empty-enum',
  'quality.discriminator-property',
  'quality.discriminator-mapping',
  'quality.ref-siblings',
] as const satisfies readonly FindingCode[];
type BuiltinCode = (typeof builtinCodes)[number];

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
const operationsGiven = `$.paths[*][${httpMethods.join(',')}]`;
const relatedLimit = 5;

/** Why a status of a typed operation must carry a JSON schema. */
interface RequiredStatus {
  status: string;
  /** The response as documented; undefined when the config requires a status the spec lacks. */
  response?: ResponseInfo;
  why: string;
  /** The declared model that stands for this status, if that is why. */
  model?: string;
}

/** A typed-target operation and what the rules require of it. */
export interface TargetPlan {
  op: Operation;
  target: TypedTarget;
  required: RequiredStatus[];
}

function label(op: Operation): string {
  return `${op.operationId ? `${op.operationId} (${op.method.toUpperCase()} ${op.path})` : `${op.method.toUpperCase()} ${op.path}`}`;
}

/** 1XX, 204, 205 and 304 responses have no body; neither has any response to HEAD. */
function hasBody(status: string, method: string): boolean {
  return method !== 'head' && !/^(1|204|205|304)/.test(status);
}

function statusMatches(documented: string, wanted: string): boolean {
  if (/^[1-5]XX$/.test(wanted)) return documented.toUpperCase() === wanted || (/^\d\d\d$/.test(documented) && documented[0] === wanted[0]);
  return documented === wanted;
}

/**
 * Which statuses each typed operation must describe with a JSON schema: the config's list (per
 * operation, else project-wide), expanded against what the spec documents. `declared` stands for
 * every documented status whose JSON schema is a model the declaration names (or the status the
 * declarations file gives it).
 */
export function planTargets(spec: SpecResult, targets: readonly TypedTarget[], cfg: QualityConfig): Map<Operation, TargetPlan> {
  const plans = new Map<Operation, TargetPlan>();
  for (const target of targets) {
    if (target.spec !== spec.root) continue;
    const op = spec.index.operations.find((o) => o.method === target.method && o.path === target.path);
    if (!op || plans.has(op)) continue;
    const own = target.operationId !== undefined ? cfg.operations[target.operationId]?.requiredStatuses : undefined;
    const list = own ?? cfg.requiredStatuses;
    const source = own ? `quality.operations.${target.operationId}.requiredStatuses` : 'quality.requiredStatuses';
    const required = new Map<string, RequiredStatus>();
    const add = (r: RequiredStatus) => {
      if (!required.has(r.status)) required.set(r.status, r);
    };
    for (const wanted of list) {
      if (wanted === 'declared') {
        for (const m of target.responses) {
          for (const r of op.responses) {
            if (!hasBody(r.status, op.method)) continue;
            const documented = jsonModel(r.media)?.model;
            if (m.status !== undefined ? statusMatches(r.status, m.status.toUpperCase()) || r.status === m.status : documented === m.model) {
              add({ status: r.status, response: r, why: `the declared response model "${m.model}" stands for it`, model: m.model });
            }
          }
        }
      } else if (/^[1-5]XX$/.test(wanted) || wanted === 'default') {
        for (const r of op.responses) {
          if (statusMatches(r.status, wanted) && hasBody(r.status, op.method)) add({ status: r.status, response: r, why: wanted === 'default' ? `"default" is in ${source}` : `typed operations need one for every ${wanted} status (${source})` });
        }
      } else {
        const r = op.responses.find((x) => x.status === wanted);
        if (r && !hasBody(r.status, op.method)) continue;
        add({ status: wanted, response: r, why: `"${wanted}" is in ${source}` });
      }
    }
    plans.set(op, { op, target, required: [...required.values()] });
  }
  return plans;
}

/**
 * The built-in ruleset of one spec: one Spectral rule per finding code, each a custom function
 * (the generic functions cannot know which operations are typed, or follow `$ref`s into other
 * files to the schema that must change). The functions read the engine's tree through the spec
 * graph; each finding they make is handed to Spectral as a result whose message is a token, and
 * `decode` turns the results Spectral returns back into those findings, so only what Spectral
 * actually ran and reported is published.
 */
export function builtinRuleset(spec: SpecResult, plans: Map<Operation, TargetPlan>, locator: Locator): { definition: RulesetDefinition; decode(results: ISpectralDiagnostic[]): Finding[] } {
  const graph = spec.graph;
  const byPath = new Map<string, Operation>();
  for (const op of spec.index.operations) byPath.set(`${op.path}\u0000${op.method}`, op);
  const version30 = /^3\.0/.test(spec.index.version ?? '');
  const issued: Finding[] = [];
  const token = (f: Finding): IFunctionResult => ({ message: `cl#${issued.push(f) - 1}` });
  const operationAt = (p: readonly (string | number)[]) => (p.length === 3 && p[0] === 'paths' ? byPath.get(`${p[1]}\u0000${p[2]}`) : undefined);
  const opRelated = (op: Operation, what: string): RelatedInfo => ({ span: op.methodSpan, message: `${what} of ${label(op)}, a typed operation` });

  // Findings reached from several operations are reported once, with each operation as related information.
  const registry = new Map<string, Finding>();
  const note = (found: Map<BuiltinCode, Finding[]>, code: BuiltinCode, key: string, op: Operation, what: string, make: () => Finding) => {
    const k = `${code}|${key}`;
    const known = registry.get(k);
    if (known) {
      if ((known.related?.length ?? 0) < relatedLimit && !known.related?.some((r) => r.span === op.methodSpan)) (known.related ??= []).push(opRelated(op, what));
      return;
    }
    const f = make();
    f.related = [opRelated(op, what), ...(f.related ?? [])];
    registry.set(k, f);
    const list = found.get(code);
    if (list) list.push(f);
    else found.set(code, [f]);
  };

  // ---------------------------------------------------------------- every operation
  const taken = new Set(spec.index.byOperationId.keys());
  const identifierRule = (op: Operation): Finding[] => {
    const id = op.operationId;
    if (id === undefined || id === '' || identifier.test(id) || !op.operationIdSpan) return [];
    const suggested = identifierFor(id, op, taken);
    taken.add(suggested);
    return [
      finding('quality.operation-id-not-identifier', `operationId "${id}" of ${op.method.toUpperCase()} ${op.path} is not usable as an identifier (letters, digits and _, not starting with a digit), so generated SDK methods and models cannot be named after it. Suggested: "${suggested}".`, op.operationIdSpan, {
        data: { operationId: id, method: op.method, path: op.path, suggestedOperationId: suggested },
      }),
    ];
  };

  // ---------------------------------------------------------------- typed targets: bodies
  const requestRule = (plan: TargetPlan): Finding[] => {
    const { op } = plan;
    const prop = op.node.map.get('requestBody');
    // No body at all although a request model is declared: coverage.request-mismatch says so at the declaration.
    if (!prop) return [];
    const body = locator.deref(op.file, prop.value);
    const bodySpan = body.node === prop.value ? { file: op.file, start: prop.keyStart, end: prop.keyEnd } : locator.anchor(body.file, body.node);
    const content = body.node.kind === 'object' ? body.node.map.get('content') : undefined;
    const media = jsonMedia(graph, body.file, content?.value);
    const data = { operationId: op.operationId, method: op.method, path: op.path };
    if (media.length === 0) {
      return [
        finding('quality.missing-request-schema', `${label(op)} is typed, but its request body has no JSON media type (application/json), so the SDK has no schema to validate requests with.`, bodySpan, {
          related: [opRelated(op, 'request body')],
          data: { ...data, reason: content ? 'no-json' : 'no-content' },
        }),
      ];
    }
    if (media.some((m) => m.schema)) return [];
    const m = media[0];
    return [
      finding('quality.missing-request-schema', `${label(op)} is typed, but its ${m.mediaType} request body has no schema.`, locator.keySpan(m.media.file, m.media.node), {
        related: [opRelated(op, 'request body')],
        data: { ...data, reason: 'no-schema', mediaType: m.mediaType },
      }),
    ];
  };

  const responsesOf = (op: Operation): Located | undefined => {
    const prop = op.node.map.get('responses');
    if (!prop) return undefined;
    const r = locator.deref(op.file, prop.value);
    return r.node.kind === 'object' ? r : undefined;
  };
  /** The response object of a status (dereferenced) and whether it lives in the operation itself. */
  const responseAt = (op: Operation, status: string): (Located & { inline: boolean; statusSpan: Span }) | undefined => {
    const responses = responsesOf(op);
    const p = responses?.node.kind === 'object' ? responses.node.map.get(status) : undefined;
    if (!responses || !p) return undefined;
    const r = locator.deref(responses.file, p.value);
    return { ...r, inline: r.node === p.value, statusSpan: { file: responses.file, start: p.keyStart, end: p.keyEnd } };
  };
  const rootComponentRef = (model: string): string | undefined => {
    const root = graph.documents.get(graph.root)?.root;
    const schemas = root?.kind === 'object' ? root.map.get('components')?.value : undefined;
    const has = schemas?.kind === 'object' && schemas.map.get('schemas')?.value.kind === 'object' && (schemas.map.get('schemas')!.value as ObjectNode).map.has(model);
    return has ? `#/components/schemas/${model}` : undefined;
  };
  const refFrom = (file: string, pointerRef: string) => (file === graph.root ? pointerRef : `${path.relative(path.dirname(file), graph.root).split(path.sep).join('/')}${pointerRef}`);

  const responseRule = (plan: TargetPlan): Finding[] => {
    const { op } = plan;
    const out: Finding[] = [];
    const base = { operationId: op.operationId, method: op.method, path: op.path };
    for (const req of plan.required) {
      const model = req.model ? rootComponentRef(req.model) : undefined;
      if (!req.response) {
        const responses = responsesOf(op);
        const where = op.responsesSpan ?? op.methodSpan;
        out.push(
          finding('quality.missing-response-schema', `${label(op)} documents no ${req.status} response, but ${req.why}: add it, with a JSON schema.`, where, {
            related: [opRelated(op, 'responses')],
            data: { ...base, status: req.status, reason: 'undocumented', ...(responses ? { file: responses.file, pointer: locator.pointerOf(responses.file, responses.node) } : {}), ...(model ? { schemaRef: refFrom(responses?.file ?? op.file, model) } : {}) },
          }),
        );
        continue;
      }
      const r = responseAt(op, req.status);
      if (!r || r.node.kind !== 'object') continue;
      const content = r.node.map.get('content');
      const media = jsonMedia(graph, r.file, content?.value);
      if (media.some((m) => m.schema)) continue;
      const reason = media.length ? 'no-schema' : content ? 'no-json' : 'no-content';
      const what = reason === 'no-schema' ? `its ${media[0].mediaType} content has no schema` : reason === 'no-json' ? 'no JSON media type' : 'no content';
      out.push(
        finding('quality.missing-response-schema', `The ${req.status} response of ${label(op)} has no JSON schema (${what}); ${req.why}.`, r.inline ? r.statusSpan : locator.anchor(r.file, r.node), {
          related: [opRelated(op, `the ${req.status} response`)],
          data: {
            ...base,
            status: req.status,
            reason,
            file: r.file,
            pointer: locator.pointerOf(r.file, r.node),
            ...(media[0] ? { mediaType: media[0].mediaType } : {}),
            ...(model ? { schemaRef: refFrom(r.file, model) } : {}),
          },
        }),
      );
    }
    return out;
  };

  // ---------------------------------------------------------------- typed targets: loose schemas
  const looseRule = (plan: TargetPlan, found: Map<BuiltinCode, Finding[]>): void => {
    const { op } = plan;
    const roots: { schema: Located; what: string; role: string }[] = [];
    const body = op.node.map.get('requestBody');
    if (body) {
      const b = locator.deref(op.file, body.value);
      for (const m of jsonMedia(graph, b.file, b.node.kind === 'object' ? b.node.map.get('content')?.value : undefined)) if (m.schema) roots.push({ schema: m.schema, what: 'request body', role: 'Request' });
    }
    for (const req of plan.required) {
      const r = req.response ? responseAt(op, req.status) : undefined;
      if (!r || r.node.kind !== 'object') continue;
      for (const m of jsonMedia(graph, r.file, r.node.map.get('content')?.value)) {
        if (m.schema) roots.push({ schema: m.schema, what: `${req.status} response`, role: /^2/.test(req.status) ? 'Response' : `${req.status[0].toUpperCase()}${req.status.slice(1)}Response` });
      }
    }
    for (const root of roots) {
      const chain = refChain(root.schema);
      const target = chain.target;
      const kind = looseness(target.node);
      if (kind) {
        report(found, plan, root, chain.sites, target, kind, false);
        continue;
      }
      // An array is as loose as its items.
      if (target.node.kind !== 'object' || !target.node.map.has('items')) continue;
      const items = target.node.map.get('items')!.value;
      if (items.kind === 'array') continue;
      const itemChain = refChain({ file: target.file, node: items });
      const itemKind = looseness(itemChain.target.node);
      if (itemKind) report(found, plan, root, [...chain.sites, ...itemChain.sites], itemChain.target, itemKind, true);
    }
  };
  const refChain = (start: Located): { target: Located; sites: Located[] } => {
    const sites: Located[] = [];
    let cur = start;
    for (let i = 0; i < 64; i++) {
      const site = graph.refAt(cur.node);
      if (!site?.target) break;
      sites.push({ file: site.file, node: site.valueNode });
      cur = { file: site.target.file, node: site.target.node };
    }
    return { target: cur, sites };
  };
  const describe = (kind: Looseness, items: boolean) =>
    items ? (kind === 'empty' ? 'an array whose items are an empty schema ({})' : 'an array of objects with no properties and open additionalProperties') : kind === 'empty' ? 'an empty schema ({}): it accepts any value' : 'an object with no properties whose additionalProperties is open: it accepts any object';
  const report = (found: Map<BuiltinCode, Finding[]>, plan: TargetPlan, root: { schema: Located; what: string; role: string }, sites: Located[], target: Located, kind: Looseness, items: boolean) => {
    const { op } = plan;
    const inline = sites.length === 0;
    const name = inline ? undefined : locator.propertyOf(target.file, target.node)?.key;
    note(found, 'quality.loose-schema', `${target.file}:${target.node.start}`, op, `the ${root.what}`, () =>
      finding(
        'quality.loose-schema',
        `The ${root.what} schema of ${label(op)} is loose: ${name ? `"${name}" is ` : ''}${describe(kind, items)}, so the typed SDK validates nothing. Declare its properties${kind === 'open-object' ? ', or give additionalProperties a schema' : ''}.`,
        locator.keySpan(target.file, target.node),
        {
          related: sites.map((s, i) => ({ span: { file: s.file, start: s.node.start, end: s.node.end }, message: i === 0 ? 'referenced here' : 'then referenced here' })),
          data: {
            operationId: op.operationId,
            method: op.method,
            path: op.path,
            kind: items ? `${kind}-items` : kind,
            inline,
            file: target.file,
            pointer: locator.pointerOf(target.file, target.node),
            rootFile: graph.root,
            componentName: componentName(graph.documents.get(graph.root)?.root, op, items ? 'Item' : root.role),
          },
        },
      ),
    );
  };

  // ---------------------------------------------------------------- schemas reachable from typed targets
  const walked = new Map<Operation, Map<BuiltinCode, Finding[]>>();
  const walk = (plan: TargetPlan): Map<BuiltinCode, Finding[]> => {
    const cached = walked.get(plan.op);
    if (cached) return cached;
    const found = new Map<BuiltinCode, Finding[]>();
    walked.set(plan.op, found);
    const { op } = plan;
    looseRule(plan, found);
    const visited = new Set<AstNode>();
    const roots: { at: Located; what: string }[] = [];
    const item = spec.index.pathItems.find((i) => i.operations.includes(op));
    for (const [file, list] of [[item?.file, item?.node.map.get('parameters')?.value], [op.file, op.node.map.get('parameters')?.value]] as const) {
      if (!file || list?.kind !== 'array') continue;
      for (const p of list.items) {
        const param = locator.deref(file, p);
        if (param.node.kind !== 'object') continue;
        const schema = param.node.map.get('schema')?.value;
        if (schema) roots.push({ at: { file: param.file, node: schema }, what: 'a parameter' });
        for (const s of contentSchemas(graph, param.file, param.node.map.get('content')?.value)) roots.push({ at: s, what: 'a parameter' });
      }
    }
    const body = op.node.map.get('requestBody');
    if (body) {
      const b = locator.deref(op.file, body.value);
      if (b.node.kind === 'object') for (const s of contentSchemas(graph, b.file, b.node.map.get('content')?.value)) roots.push({ at: s, what: 'the request body' });
    }
    const responses = responsesOf(op);
    if (responses?.node.kind === 'object') {
      for (const rp of responses.node.properties) {
        if (rp.key.startsWith('x-')) continue;
        const r = locator.deref(responses.file, rp.value);
        if (r.node.kind === 'object') for (const s of contentSchemas(graph, r.file, r.node.map.get('content')?.value)) roots.push({ at: s, what: `the ${rp.key} response` });
      }
    }
    for (const root of roots) visit(root.at, undefined, root.what);

    function visit(start: Located, allOfNames: Set<string> | undefined, what: string): void {
      let cur = start;
      for (let i = 0; i < 64; i++) {
        const site = graph.refAt(cur.node);
        if (!site) break;
        if (version30 && site.holder.properties.length > 1) refSiblings(site.file, site.holder, what);
        if (!site.target) return;
        cur = { file: site.target.file, node: site.target.node };
      }
      const node = cur.node;
      if (node.kind !== 'object' || visited.has(node)) return;
      visited.add(node);
      const file = cur.file;
      emptyEnum(file, node, what);
      required(file, node, allOfNames, what);
      discriminator(file, node, allOfNames, what);
      for (const key of subschemaKeys) {
        const v = node.map.get(key)?.value;
        if (v?.kind === 'object') visit({ file, node: v }, undefined, what);
      }
      const items = node.map.get('items')?.value;
      if (items?.kind === 'object') visit({ file, node: items }, undefined, what);
      else if (items?.kind === 'array') for (const i of items.items) visit({ file, node: i }, undefined, what);
      for (const key of subschemaMapKeys) {
        const map = node.map.get(key)?.value;
        if (map?.kind === 'object') for (const p of map.properties) visit({ file, node: p.value }, undefined, what);
      }
      // A branch may require what the composing schema defines (`properties` next to `anyOf`
      // branches that each require some of them), and an allOf branch what another branch defines.
      const composing = ['allOf', 'oneOf', 'anyOf'].some((k) => node.map.has(k)) ? new Set([...propertyNames(graph, file, node), ...(allOfNames ?? [])]) : undefined;
      for (const key of subschemaListKeys) {
        const list = node.map.get(key)?.value;
        if (list?.kind === 'array') for (const i of list.items) visit({ file, node: i }, key === 'prefixItems' ? undefined : composing, what);
      }
      const allOf = node.map.get('allOf')?.value;
      if (allOf?.kind === 'array') for (const i of allOf.items) visit({ file, node: i }, composing, what);
    }

    function refSiblings(file: string, holder: ObjectNode, what: string): void {
      const siblings = holder.properties.filter((p) => p.key !== '$ref');
      const first = siblings[0];
      note(found, 'quality.ref-siblings', `${file}:${first.keyStart}`, op, what, () =>
        finding('quality.ref-siblings', `In OpenAPI 3.0 the keys next to a $ref are ignored: ${siblings.map((s) => `"${s.key}"`).join(', ')} ${siblings.length === 1 ? 'has' : 'have'} no effect here. Move ${siblings.length === 1 ? 'it' : 'them'} into the referenced schema, or wrap the $ref in allOf.`, { file, start: first.keyStart, end: first.keyEnd }, {
          data: { siblings: siblings.map((s) => s.key) },
        }),
      );
    }

    function emptyEnum(file: string, node: ObjectNode, what: string): void {
      const p = node.map.get('enum');
      if (p?.value.kind !== 'array' || p.value.items.length > 0) return;
      note(found, 'quality.empty-enum', `${file}:${p.keyStart}`, op, what, () => finding('quality.empty-enum', 'This enum is empty, so no value is valid: list the allowed values, or remove enum.', { file, start: p.keyStart, end: p.keyEnd }));
    }

    function required(file: string, node: ObjectNode, allOfNames: Set<string> | undefined, what: string): void {
      const req = node.map.get('required')?.value;
      if (req?.kind !== 'array' || req.items.length === 0) return;
      if (['oneOf', 'anyOf', 'patternProperties'].some((k) => node.map.has(k))) return;
      const names = new Set([...propertyNames(graph, file, node), ...(allOfNames ?? [])]);
      const ap = node.map.get('additionalProperties')?.value;
      // A free-form or map object has nothing to compare its required names with.
      if (names.size === 0 && !(ap?.kind === 'scalar' && ap.value === false)) return;
      for (const item of req.items) {
        const name = stringValue(item);
        if (name === undefined || names.has(name)) continue;
        const suggestion = didYouMean(name, [...names]);
        note(found, 'quality.required-not-in-properties', `${file}:${item.start}`, op, what, () =>
          finding('quality.required-not-in-properties', `"${name}" is required but is not one of the properties this schema defines (${[...names].slice(0, 8).join(', ')}${names.size > 8 ? ', ...' : ''}).${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, { file, start: item.start, end: item.end }, {
            data: { name, ...(suggestion ? { suggestion } : {}) },
          }),
        );
      }
    }

    function discriminator(file: string, node: ObjectNode, allOfNames: Set<string> | undefined, what: string): void {
      const disc = node.map.get('discriminator')?.value;
      if (disc?.kind !== 'object') return;
      const nameNode = disc.map.get('propertyName')?.value;
      const prop = stringValue(nameNode);
      if (prop === undefined || !nameNode) return;
      const variants: AstNode[] = [];
      for (const key of ['oneOf', 'anyOf']) {
        const list = node.map.get(key)?.value;
        if (list?.kind === 'array') variants.push(...list.items);
      }
      const propSpan: Span = { file, start: nameNode.start, end: nameNode.end };
      if (variants.length === 0) {
        const names = new Set([...propertyNames(graph, file, node), ...(allOfNames ?? [])]);
        if (!names.has(prop)) {
          note(found, 'quality.discriminator-property', `${file}:${nameNode.start}`, op, what, () =>
            finding('quality.discriminator-property', `The discriminator property "${prop}" is not one of this schema's properties.`, propSpan, { data: { propertyName: prop } }),
          );
        }
      }
      variants.forEach((v, i) => {
        const r = locator.deref(file, v);
        if (r.node.kind !== 'object' || propertyNames(graph, r.file, r.node).has(prop)) return;
        const name = r.node === v ? `#${i + 1}` : `"${locator.propertyOf(r.file, r.node)?.key ?? `#${i + 1}`}"`;
        note(found, 'quality.discriminator-property', `${r.file}:${r.node.start}`, op, what, () =>
          finding('quality.discriminator-property', `Variant ${name} of the union discriminated by "${prop}" does not define the property "${prop}", so it can never be selected.`, locator.keySpan(r.file, r.node), {
            related: [{ span: propSpan, message: `discriminator on "${prop}"` }],
            data: { propertyName: prop },
          }),
        );
      });
      const mapping = disc.map.get('mapping')?.value;
      if (mapping?.kind !== 'object') return;
      for (const m of mapping.properties) {
        const value = stringValue(m.value);
        if (value === undefined) continue;
        const problem = mappingProblem(file, value);
        if (!problem) continue;
        note(found, 'quality.discriminator-mapping', `${file}:${m.value.start}`, op, what, () =>
          finding('quality.discriminator-mapping', `The discriminator mapping "${m.key}" → "${value}" does not resolve: ${problem.reason}.${problem.suggestedRef ? ` Did you mean "${problem.suggestedRef}"?` : ''}`, { file, start: m.value.start, end: m.value.end }, {
            data: { value, ...(problem.suggestedRef ? { suggestion: problem.suggestedRef } : {}) },
          }),
        );
      }
    }
    return found;
  };

  /** Why a mapping value does not resolve; undefined when it does, or when its file is not loaded (not checkable here). */
  function mappingProblem(file: string, value: string): { reason: string; suggestedRef?: string } | undefined {
    const isRef = value.includes('#') || value.includes('/') || /\.(ya?ml|json)$/i.test(value);
    let targetFile = graph.root;
    let pointer = `/components/schemas/${value}`;
    let prefix = '#/components/schemas/';
    if (isRef) {
      const hash = value.indexOf('#');
      const filePart = hash >= 0 ? value.slice(0, hash) : value;
      pointer = hash >= 0 ? value.slice(hash + 1) : '';
      targetFile = filePart ? path.resolve(path.dirname(file), filePart) : file;
      prefix = `${filePart}#`;
    }
    const doc = graph.documents.get(targetFile);
    if (!doc?.root) return isRef && targetFile !== file ? undefined : { reason: 'the document has no such schema' };
    let decoded = pointer;
    try {
      decoded = decodeURIComponent(pointer);
    } catch {
      /* keep as written */
    }
    const segments = parsePointer(decoded);
    const result = resolvePointer(doc.root, segments);
    if (result.ok) return undefined;
    const siblings = result.parent.kind === 'object' ? [...result.parent.map.keys()] : [];
    const near = didYouMean(result.missing, siblings);
    const at = result.resolvedSegments.length ? `#/${result.resolvedSegments.join('/')}` : 'the document';
    const suggestedRef = near ? (isRef ? `${prefix}/${[...result.resolvedSegments, near].join('/')}` : near) : undefined;
    return { reason: `"${result.missing}" is not in ${at}`, suggestedRef };
  }

  // ---------------------------------------------------------------- the Spectral rules
  const perOperation = (check: (op: Operation) => Finding[]) => (_value: unknown, _options: unknown, context: { path: (string | number)[] }) => {
    const op = operationAt(context.path);
    return op ? check(op).map(token) : [];
  };
  const perTarget = (check: (plan: TargetPlan) => Finding[]) => perOperation((op) => {
    const plan = plans.get(op);
    return plan ? check(plan) : [];
  });
  const walked$ = (code: BuiltinCode) => perTarget((plan) => walk(plan).get(code) ?? []);
  const rule = (code: BuiltinCode, fn: ReturnType<typeof perOperation>) => ({
    description: code,
    message: '{{error}}',
    severity: 'error' as const,
    given: operationsGiven,
    then: { function: fn },
  });
  const definition = {
    rules: {
      'quality.operation-id-not-identifier': rule('quality.operation-id-not-identifier', perOperation(identifierRule)),
      'quality.missing-request-schema': rule('quality.missing-request-schema', perTarget(requestRule)),
      'quality.missing-response-schema': rule('quality.missing-response-schema', perTarget(responseRule)),
      'quality.loose-schema': rule('quality.loose-schema', walked$('quality.loose-schema')),
      'quality.required-not-in-properties': rule('quality.required-not-in-properties', walked$('quality.required-not-in-properties')),
      'quality.empty-enum': rule('quality.empty-enum', walked$('quality.empty-enum')),
      'quality.discriminator-property': rule('quality.discriminator-property', walked$('quality.discriminator-property')),
      'quality.discriminator-mapping': rule('quality.discriminator-mapping', walked$('quality.discriminator-mapping')),
      'quality.ref-siblings': rule('quality.ref-siblings', walked$('quality.ref-siblings')),
    },
  } as unknown as RulesetDefinition;

  return {
    definition,
    decode(results) {
      const out: Finding[] = [];
      for (const r of results) {
        const m = /^cl#(\d+)$/.exec(r.message);
        const f = m ? issued[Number(m[1])] : undefined;
        if (f && f.code === r.code) out.push(f);
      }
      return out;
    },
  };
}

/** A unique identifier from an operationId's words (`meta/root` → `metaRoot`), else from method and path. */
function identifierFor(id: string, op: Operation, taken: ReadonlySet<string>): string {
  const words = id.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (words.length === 0) return suggestOperationId(op.method, op.path, taken);
  let base = words.map((w, i) => (i === 0 ? w[0].toLowerCase() + w.slice(1) : w[0].toUpperCase() + w.slice(1))).join('');
  if (/^\d/.test(base)) base = op.method + base[0].toUpperCase() + base.slice(1);
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}${n}`;
  return candidate;
}

/** A component name for a loose inline schema's replacement: `StartRunRequest`, `ReadRunResponse`, unique. */
function componentName(root: AstNode | undefined, op: Operation, role: string): string {
  const id = op.operationId && identifier.test(op.operationId) ? op.operationId : identifierFor(op.operationId ?? '', op, new Set());
  const base = `${id[0].toUpperCase()}${id.slice(1)}${role}`;
  const components = root?.kind === 'object' ? root.map.get('components')?.value : undefined;
  const schemas = components?.kind === 'object' ? components.map.get('schemas')?.value : undefined;
  const names = schemas?.kind === 'object' ? schemas.map : new Map();
  let name = base;
  for (let n = 2; names.has(name); n++) name = `${base}${n}`;
  return name;
}
