import { memoized } from '../memo';
import type { ProjectContext } from '../context';
import type { Framework } from '../config/config';
import { finding, type Finding, type RelatedInfo } from '../findings';
import { stringValue } from '../parse/ast';
import type { Operation } from '../spec/operations';
import { editDistance } from '../similarity';
import { relativePath } from '../paths';
import { suggestOperationId } from '../checks/structure';
import { JsRouteExtractor, extractTsCalls } from './javascript';
import { extractPythonCalls, extractPythonRoutes } from './python';
import { foldedText, hasOpaque, type SdkCall, type SourceRoute } from './model';
import { parsePath, shapeKey, stripPrefix, toTemplate, type PathSyntax, type Segment } from './normalize';

/** A server route and the spec operation it implements (if any). */
export interface RouteMatch {
  route: SourceRoute;
  /** OpenAPI-style template of the route's path (for stubs and CodeLens). */
  template: string;
  operation?: Operation;
  status: 'documented' | 'undocumented' | 'unverifiable' | 'excluded' | 'non-operation' | 'ignored';
}

export interface CallMatch {
  call: SdkCall;
  template: string;
  operation?: Operation;
}

/** What parity found: the three sides and their links; CodeLens and navigation read this. */
export interface ParityResult {
  framework?: Framework;
  routes: RouteMatch[];
  calls: CallMatch[];
  /** Spec operation → the routes that implement it and the SDK calls that call it. */
  links: Map<Operation, { routes: RouteMatch[]; calls: CallMatch[] }>;
  summary: { operations: number; routes: number; calls: number; matchedOperations: number; matchedRoutes: number; matchedCalls: number };
}

const frameworkImports: [Framework, RegExp][] = [
  ['nestjs', /from\s+['"]@nestjs\/common['"]/],
  ['fastify', /from\s+['"]fastify['"]|require\(['"]fastify['"]\)/],
  ['hono', /from\s+['"]hono['"]/],
  ['koa', /from\s+['"](@koa\/router|koa-router|koa)['"]|require\(['"](@koa\/router|koa-router)['"]\)/],
  ['express', /from\s+['"]express['"]|require\(['"]express['"]\)/],
  ['fastapi', /^\s*(from\s+fastapi\s+import|import\s+fastapi)/m],
  ['flask', /^\s*(from\s+flask\s+import|import\s+flask)/m],
];

/** The framework named in the config, or the one the sources import. */
export function detectFramework(ctx: ProjectContext, files: string[]): Framework | undefined {
  if (ctx.config.server?.framework) return ctx.config.server.framework;
  for (const [fw, re] of frameworkImports) {
    if (files.some((f) => re.test(ctx.readText(f) ?? ''))) return fw;
  }
  return undefined;
}

function pathSyntax(fw: Framework): PathSyntax {
  return fw;
}

interface SpecSide {
  op: Operation;
  variants: Segment[][];
}

/**
 * Route parity: the spec's operations against the server's registered routes and the SDKs' call
 * sites. Findings sit on the side where the fix belongs, and point at the other side.
 */
export function checkParity(ctx: ProjectContext): { findings: Finding[]; result: ParityResult } {
  const findings: Finding[] = [];
  const operations = ctx.specs.flatMap((s) => s.index.operations);
  const spec: SpecSide[] = operations.map((op) => ({ op, variants: parsePath([op.path], 'openapi') }));
  const links = new Map<Operation, { routes: RouteMatch[]; calls: CallMatch[] }>();
  for (const op of operations) links.set(op, { routes: [], calls: [] });
  const prefixes = candidatePrefixes(ctx);

  // Index the spec by shape (parameters by position), with every known prefix tried both ways.
  const byShape = new Map<string, SpecSide[]>();
  const addShape = (key: string, s: SpecSide) => (byShape.get(key) ?? byShape.set(key, []).get(key)!).push(s);
  for (const s of spec) {
    for (const v of s.variants) {
      addShape(shapeKey(v), s);
      for (const p of prefixes) {
        addShape(shapeKey([...p, ...v]), s);
        const stripped = stripPrefix(v, p);
        if (stripped) addShape(shapeKey(stripped), s);
      }
    }
  }
  const lookup = (segments: Segment[][]) => {
    const out = new Set<SpecSide>();
    for (const v of segments) for (const s of byShape.get(shapeKey(v)) ?? []) out.add(s);
    return [...out];
  };

  // ---- server routes ----
  let framework: Framework | undefined;
  const routeMatches: RouteMatch[] = [];
  const server = ctx.config.server;
  if (server && server.sources.length > 0) {
    const extracted = memoized(ctx, 'parity.routes', (c) => {
      const files = c.glob(server.sources, server.exclude);
      const fw = detectFramework(c, files);
      let found: SourceRoute[] = [];
      if (fw === 'fastapi' || fw === 'flask') found = extractPythonRoutes(c, files.filter((f) => f.endsWith('.py')), fw).routes;
      else if (fw) found = new JsRouteExtractor(c, fw).extract(files.filter((f) => /\.(ts|tsx|js|mjs|cjs|jsx|mts|cts)$/.test(f))).routes;
      return { framework: fw, routes: found };
    });
    framework = extracted.framework;
    const routes = extracted.routes;
    for (const route of routes) {
      const variants = parsePath(route.path, pathSyntax(route.framework));
      const template = toTemplate(variants[0] ?? []);
      const m: RouteMatch = { route, template, status: 'undocumented' };
      routeMatches.push(m);
      if (route.kind !== 'operation') {
        m.status = 'non-operation';
        continue;
      }
      const candidates = lookup(variants);
      const sameMethod = candidates.filter((s) => route.methods.includes('*') || route.methods.includes(s.op.method));
      if (sameMethod.length > 0) {
        m.operation = sameMethod[0].op;
        m.status = 'documented';
        for (const s of sameMethod) links.get(s.op)!.routes.push(m);
        checkParamNames(route, variants, sameMethod[0], findings);
        continue;
      }
      if (route.excluded) m.status = 'excluded';
      else if (hasOpaque(route.path) || variants.some((v) => v.some((s) => s.kind === 'opaque' || s.kind === 'wildcard'))) m.status = 'unverifiable';
      else if (ignored(ctx, route, template)) m.status = 'ignored';
    }
  }

  // ---- SDK calls ----
  const callMatches: CallMatch[] = [];
  ctx.config.clients.forEach((client, n) => {
    const calls = memoized(ctx, `parity.calls.${n}`, (c) => {
      const files = c.glob(client.sources, client.exclude);
      return client.language === 'python' ? extractPythonCalls(c, files.filter((f) => f.endsWith('.py')), client) : extractTsCalls(c, files.filter((f) => /\.(ts|tsx|js|mjs|cjs|jsx)$/.test(f)), client);
    });
    for (const call of calls) {
      const variants = parsePath(call.path, 'client');
      const m: CallMatch = { call, template: toTemplate(variants[0] ?? []) };
      callMatches.push(m);
      const candidates = lookup(variants).filter((s) => s.op.method === call.method);
      if (candidates.length > 0) {
        m.operation = candidates[0].op;
        links.get(candidates[0].op)!.calls.push(m);
      }
    }
  });

  // ---- findings ----
  const serverChecked = routeMatches.length > 0 || (server !== undefined && server.sources.length > 0 && framework !== undefined);
  const unmatchedOps = serverChecked ? spec.filter((s) => links.get(s.op)!.routes.length === 0) : [];
  const undocumented = routeMatches.filter((m) => m.status === 'undocumented');
  const unverifiable = routeMatches.filter((m) => m.status === 'unverifiable');

  // One prefix mismatch instead of many: a constant prefix that explains the unmatched routes.
  const prefixExplained = explainByPrefix(undocumented, unmatchedOps);
  if (prefixExplained) {
    const { prefix, routes, ops, direction } = prefixExplained;
    const first = routes[0];
    findings.push(
      finding('parity.prefix-mismatch', `${routes.length} routes differ from the spec only by the prefix "${prefix}": the server ${direction === 'server-has' ? 'adds' : 'lacks'} it. Set \`server.prefix\` in contract-lens.yaml, or align the spec's paths (or servers[].url).`, first.route.span, {
        related: [...routes.slice(1, 6).map((r) => ({ span: r.route.span, message: `${r.route.methods[0].toUpperCase()} ${r.template}` })), ...ops.slice(0, 5).map((o) => ({ span: o.op.methodSpan, message: `${o.op.method.toUpperCase()} ${o.op.path} in the spec` }))],
        data: { prefix, direction, count: routes.length },
      }),
    );
    for (const r of routes) r.status = 'unverifiable';
  }
  const explainedOps = new Set(prefixExplained?.ops.map((o) => o.op));

  for (const m of undocumented) {
    if (m.status !== 'undocumented') continue;
    const method = m.route.methods[0];
    // Same path, other method: one method-mismatch instead of an undocumented + an unimplemented.
    const samePath = lookup(parsePath(m.route.path, pathSyntax(m.route.framework)));
    const orphan = samePath.find((s) => unmatchedOps.includes(s));
    if (orphan) {
      explainedOps.add(orphan.op);
      findings.push(
        finding('parity.method-mismatch', `The server registers ${method.toUpperCase()} ${m.template} but the spec documents ${orphan.op.method.toUpperCase()} ${orphan.op.path}${orphan.op.operationId ? ` (${orphan.op.operationId})` : ''}.`, m.route.span, {
          related: [{ span: orphan.op.methodSpan, message: `${orphan.op.method.toUpperCase()} ${orphan.op.path} in the spec` }, ...chainInfo(m.route)],
          data: { method, path: m.template, specMethod: orphan.op.method, operationId: orphan.op.operationId },
        }),
      );
      m.status = 'documented';
      m.operation = orphan.op;
      links.get(orphan.op)!.routes.push(m);
      continue;
    }
    const near = nearest(m.template, spec.map((s) => s.op));
    const taken = new Set(operations.map((o) => o.operationId).filter((x): x is string => !!x));
    findings.push(
      finding('parity.undocumented-route', `${method === '*' ? 'ALL' : method.toUpperCase()} ${m.template} is registered by the server but not documented in the spec.${near ? ` Did you mean ${near.method.toUpperCase()} ${near.path}?` : ''}`, m.route.span, {
        related: [...(near ? [{ span: near.methodSpan, message: `closest spec operation: ${near.method.toUpperCase()} ${near.path}` }] : []), ...chainInfo(m.route)],
        data: {
          method: method === '*' ? 'get' : method,
          path: m.template,
          suggestedOperationId: suggestOperationId(method === '*' ? 'get' : method, m.template, taken),
          specFile: ctx.specs[0]?.root,
          ...(near ? { suggestion: `${near.method.toUpperCase()} ${near.path}` } : {}),
        },
      }),
    );
  }

  for (const s of unmatchedOps) {
    if (explainedOps.has(s.op) || links.get(s.op)!.routes.length > 0) continue;
    // An opaque registration might serve it: say so, never call it missing.
    const maybe = unverifiable.find((u) => couldServe(u, s));
    if (maybe) continue;
    const near = nearestRoute(s.op, routeMatches.filter((r) => r.status === 'undocumented' || r.status === 'documented'));
    findings.push(
      finding('parity.unimplemented-operation', `${s.op.method.toUpperCase()} ${s.op.path}${s.op.operationId ? ` (${s.op.operationId})` : ''} is documented but the server registers no such route.${near ? ` Closest route: ${near.route.methods[0].toUpperCase()} ${near.template}.` : ''}`, s.op.methodSpan, {
        related: near ? [{ span: near.route.span, message: `closest server route: ${near.route.methods[0].toUpperCase()} ${near.template}` }] : undefined,
        data: { method: s.op.method, path: s.op.path, operationId: s.op.operationId },
      }),
    );
  }

  for (const u of unverifiable) {
    if (u.status !== 'unverifiable' || prefixExplained?.routes.includes(u)) continue;
    findings.push(
      finding('parity.unverifiable-route', `${u.route.methods[0].toUpperCase()} ${foldedText(u.route.path)}: part of this path is computed at run time (${u.route.path.filter((p) => typeof p !== 'string').map((p) => (p as { opaque: string }).opaque).join(', ') || 'wildcard'}), so it cannot be compared with the spec.`, u.route.span, {
        related: chainInfo(u.route),
        data: { method: u.route.methods[0], path: foldedText(u.route.path) },
      }),
    );
  }
  for (const m of routeMatches) {
    if (m.status === 'documented' && m.route.conditional) {
      findings.push(
        finding('parity.unverifiable-route', `${m.route.methods[0].toUpperCase()} ${m.template} is registered only under a condition; the spec documents it${m.operation?.operationId ? ` as ${m.operation.operationId}` : ''}, which holds only when the condition does.`, m.route.span, {
          related: m.operation ? [{ span: m.operation.methodSpan, message: 'documented here' }] : undefined,
          data: { method: m.route.methods[0], path: m.template, conditional: true },
        }),
      );
    }
  }

  for (const c of callMatches) {
    if (c.operation) continue;
    if (hasOpaque(c.call.path)) continue;
    const samePath = lookup(parsePath(c.call.path, 'client'));
    const near = samePath[0]?.op ?? nearest(c.template, operations);
    findings.push(
      finding(
        'parity.sdk-unknown-route',
        samePath.length > 0
          ? `The SDK calls ${c.call.method.toUpperCase()} ${c.template}, but the spec documents only ${samePath.map((s) => s.op.method.toUpperCase()).join(', ')} on that path.`
          : `The SDK calls ${c.call.method.toUpperCase()} ${c.template}, which the spec does not document.${near ? ` Did you mean ${near.method.toUpperCase()} ${near.path}?` : ''}`,
        c.call.span,
        {
          related: near ? [{ span: near.methodSpan, message: `${near.method.toUpperCase()} ${near.path} in the spec` }] : undefined,
          data: { method: c.call.method, path: c.template, key: c.call.key, ...(near ? { suggestion: `${near.method.toUpperCase()} ${near.path}` } : {}) },
        },
      ),
    );
  }

  const result: ParityResult = {
    framework,
    routes: routeMatches,
    calls: callMatches,
    links,
    summary: {
      operations: operations.length,
      routes: routeMatches.filter((r) => r.route.kind === 'operation').length,
      calls: callMatches.length,
      matchedOperations: [...links.values()].filter((l) => l.routes.length > 0).length,
      matchedRoutes: routeMatches.filter((r) => r.status === 'documented').length,
      matchedCalls: callMatches.filter((c) => c.operation).length,
    },
  };
  return { findings, result };
}

/** Path parts of servers[].url and the configured server prefix: tried with and without. */
function candidatePrefixes(ctx: ProjectContext): Segment[][] {
  const out: Segment[][] = [];
  for (const s of ctx.specs) {
    const root = s.graph.documents.get(s.root)?.root;
    const servers = root?.kind === 'object' ? root.map.get('servers')?.value : undefined;
    if (servers?.kind !== 'array') continue;
    for (const srv of servers.items) {
      const url = srv.kind === 'object' ? stringValue(srv.map.get('url')?.value) : undefined;
      if (!url) continue;
      const pathPart = url.replace(/^[a-z]+:\/\/[^/]*/i, '');
      const segs = parsePath([pathPart], 'openapi')[0] ?? [];
      if (segs.length > 0 && segs.every((x) => x.kind === 'literal')) out.push(segs);
    }
  }
  // The configured prefix (a global prefix set outside the code) is tried with and without too.
  const configured = ctx.config.server?.prefix ? parsePath([ctx.config.server.prefix], 'openapi')[0] : undefined;
  if (configured && configured.length > 0) out.push(configured);
  return out;
}

function checkParamNames(route: SourceRoute, variants: Segment[][], s: SpecSide, findings: Finding[]): void {
  const key = new Set(s.variants.map(shapeKey));
  const v = variants.find((x) => key.has(shapeKey(x))) ?? variants.find((x) => x.length <= (s.variants[0]?.length ?? 0));
  const specV = s.variants.find((x) => x.length === v?.length) ?? s.variants[0];
  if (!v || !specV) return;
  const offset = specV.length - v.length;
  const diffs: string[] = [];
  v.forEach((seg, i) => {
    const other = specV[i + Math.max(0, offset)];
    if (seg.kind === 'param' && other?.kind === 'param' && seg.name !== other.name) diffs.push(`"${seg.name}" is "${other.name}" in the spec`);
  });
  if (diffs.length) {
    findings.push(
      finding('parity.param-name-mismatch', `Path parameter names differ from the spec's ${s.op.path}: ${diffs.join(', ')}.`, route.span, {
        related: [{ span: s.op.pathSpan, message: `${s.op.method.toUpperCase()} ${s.op.path} in the spec` }],
        data: { path: s.op.path, method: s.op.method },
      }),
    );
  }
}

function chainInfo(route: SourceRoute): RelatedInfo[] {
  return route.chain.map((step) => ({ span: step.span, message: `mounted by ${step.label}` }));
}

function ignored(ctx: ProjectContext, route: SourceRoute, template: string): boolean {
  return ctx.config.rules.ignore.some((r) => !r.code && r.path !== undefined && r.path === template && (r.method === undefined || route.methods.includes(r.method)));
}

function nearest(template: string, ops: Operation[]): Operation | undefined {
  let best: Operation | undefined;
  let bestD = Infinity;
  const norm = (p: string) => p.replace(/\{[^}]*\}/g, '{}');
  for (const op of ops) {
    const d = editDistance(norm(template), norm(op.path), Math.max(3, Math.floor(template.length / 3)));
    if (d < bestD) {
      bestD = d;
      best = op;
    }
  }
  return bestD <= Math.max(3, Math.floor(template.length / 3)) ? best : undefined;
}

function nearestRoute(op: Operation, routes: RouteMatch[]): RouteMatch | undefined {
  let best: RouteMatch | undefined;
  let bestD = Infinity;
  const norm = (p: string) => p.replace(/\{[^}]*\}/g, '{}');
  const limit = Math.max(3, Math.floor(op.path.length / 3));
  for (const r of routes) {
    if (r.status === 'documented' && r.operation === op) continue;
    const d = editDistance(norm(op.path), norm(r.template), limit);
    if (d < bestD && r.status === 'undocumented') {
      bestD = d;
      best = r;
    }
  }
  return bestD <= limit ? best : undefined;
}

function couldServe(u: RouteMatch, s: SpecSide): boolean {
  if (!u.route.methods.includes('*') && !u.route.methods.includes(s.op.method)) return false;
  const literalHead = (typeof u.route.path[0] === 'string' ? u.route.path[0] : '').replace(/\/+$/, '');
  return s.op.path.startsWith(literalHead) || literalHead === '';
}

function explainByPrefix(routes: RouteMatch[], ops: SpecSide[]): { prefix: string; routes: RouteMatch[]; ops: SpecSide[]; direction: 'server-has' | 'spec-has' } | undefined {
  if (routes.length < 2 || ops.length < 2) return undefined;
  const counts = new Map<string, { routes: Set<RouteMatch>; ops: Set<SpecSide>; direction: 'server-has' | 'spec-has' }>();
  for (const r of routes) {
    const rv = parsePath(r.route.path, r.route.framework)[0] ?? [];
    for (const s of ops) {
      if (!r.route.methods.includes(s.op.method)) continue;
      for (const sv of s.variants) {
        for (const [longer, shorter, direction] of [[rv, sv, 'server-has'], [sv, rv, 'spec-has']] as const) {
          const extra = longer.length - shorter.length;
          if (extra <= 0 || extra > 3) continue;
          const head = longer.slice(0, extra);
          if (!head.every((x) => x.kind === 'literal')) continue;
          if (shapeKey(longer.slice(extra)) !== shapeKey(shorter)) continue;
          const prefix = toTemplate(head);
          const entry = counts.get(prefix + direction) ?? { routes: new Set(), ops: new Set(), direction };
          entry.routes.add(r);
          entry.ops.add(s);
          counts.set(prefix + direction, entry);
        }
      }
    }
  }
  let best: { prefix: string; routes: RouteMatch[]; ops: SpecSide[]; direction: 'server-has' | 'spec-has' } | undefined;
  for (const [key, e] of counts) {
    if (e.routes.size < 2) continue;
    if (!best || e.routes.size > best.routes.length) best = { prefix: key.replace(/(server-has|spec-has)$/, ''), routes: [...e.routes], ops: [...e.ops], direction: e.direction };
  }
  return best;
}

export function describeRoute(m: RouteMatch, root: string): string {
  return `${m.route.methods[0].toUpperCase()} ${m.template} · ${relativePath(root, m.route.span.file)}`;
}

