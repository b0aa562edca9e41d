import type { ClientConfig } from '../../config/config';
import type { SyntaxNode } from '../../source/treesitter';
import type { SdkCall } from '../model';
import { callArguments, type Domain, type Frame, type Program, type Value } from './program';
import { clean } from './routes';
import { concatParts, isHole, stripQuery, type Part } from './strings';

class HttpClient {
  constructor(readonly library: 'httpx' | 'requests') {}
}

const verbs = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];
const clientClasses: Record<string, 'httpx' | 'requests'> = {
  'httpx.Client': 'httpx',
  'httpx.AsyncClient': 'httpx',
  'requests.Session': 'requests',
  'requests.session': 'requests',
  'requests.sessions.Session': 'requests',
};

/**
 * HTTP calls in Python client code: calls of a configured wrapper
 * (`self._request("sessions.create", "POST", f"/sessions/{session_id}")`), or of httpx/requests
 * (`httpx.get(url)`, `client.post("/x")` on an `httpx.Client`, `requests.request("GET", url)`,
 * a `with httpx.AsyncClient() as c:` target, a parameter annotated `httpx.Client`, `self._http`
 * assigned in `__init__`). A call whose method is not a literal is skipped.
 */
export class CallCollector implements Domain {
  readonly calls: SdkCall[] = [];
  private readonly seen = new Set<string>();

  /** Bodies worth walking: they call the wrapper, or use (or store) an HTTP client. */
  readonly interest: RegExp;

  constructor(
    private readonly program: Program,
    private readonly client: ClientConfig,
    private readonly files: Set<string>,
  ) {
    const site = client.callSite;
    const fn = (site.function ?? '_request').split('.').pop()!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.interest =
      site.kind === 'wrapper' ? new RegExp(`\\b${fn}\\b`) : /httpx|requests|Client|Session|\.(get|post|put|patch|delete|head|options|request|stream)\s*\(|self\.\w+\s*=/;
  }

  construct(q: string): Value | undefined {
    return this.httpClient(q);
  }

  annotated(q: string): Value | undefined {
    return this.httpClient(q);
  }

  private httpClient(q: string): Value | undefined {
    const lib = clientClasses[q];
    return lib && lib === this.client.callSite.kind ? { t: 'obj', obj: new HttpClient(lib) } : undefined;
  }

  onCall(call: SyntaxNode, frame: Frame): void {
    const file = frame.module.file;
    if (!file || !this.files.has(file)) return;
    const key = `${file}:${call.startIndex}`;
    if (this.seen.has(key)) return;
    const site = this.client.callSite;
    const found = site.kind === 'wrapper' ? this.wrapperCall(call, frame) : site.kind === 'httpx' || site.kind === 'requests' ? this.libraryCall(call, frame, site.kind) : undefined;
    if (!found) return;
    this.seen.add(key);
    this.calls.push(found);
  }

  private wrapperCall(call: SyntaxNode, frame: Frame): SdkCall | undefined {
    const site = this.client.callSite;
    const wanted = (site.function ?? '_request').split('.').pop();
    const fnNode = call.childForFieldName('function');
    const name = fnNode?.type === 'identifier' ? fnNode.text : fnNode?.type === 'attribute' ? fnNode.childForFieldName('attribute')?.text : undefined;
    if (!name || name !== wanted) return undefined;
    const args = callArguments(call);
    const pick = (index: number | undefined, names: string[]) =>
      names.map((n) => args.keyword.get(n)).find((x) => x) ?? (index !== undefined && index >= 0 ? args.positional[index] : undefined);
    const methodNode = pick(site.methodArgument, ['method']);
    const pathNode = pick(site.pathArgument, ['path', 'url']);
    const keyNode = site.keyArgument !== undefined ? pick(site.keyArgument, ['operation_key', 'operation', 'key']) : undefined;
    return this.sdkCall(call, frame, methodNode, pathNode, keyNode);
  }

  private libraryCall(call: SyntaxNode, frame: Frame, library: 'httpx' | 'requests'): SdkCall | undefined {
    const fnNode = call.childForFieldName('function');
    if (!fnNode || (fnNode.type !== 'attribute' && fnNode.type !== 'identifier')) return undefined;
    const name = fnNode.type === 'attribute' ? fnNode.childForFieldName('attribute')?.text : fnNode.text;
    if (!name || (!verbs.includes(name) && name !== 'request' && name !== 'stream')) return undefined;
    const callee = this.program.evaluate(fnNode, frame);
    const onLibrary = callee.t === 'external' && callee.name === `${library}.${name}`;
    const onClient = callee.t === 'attr' && callee.base.t === 'obj' && callee.base.obj instanceof HttpClient && callee.base.obj.library === library;
    if (!onLibrary && !onClient) return undefined;
    const args = callArguments(call);
    if (name === 'request' || name === 'stream') {
      return this.sdkCall(call, frame, args.keyword.get('method') ?? args.positional[0], args.keyword.get('url') ?? args.positional[1], undefined);
    }
    return this.sdkCall(call, frame, undefined, args.keyword.get('url') ?? args.positional[0], undefined, name);
  }

  private sdkCall(call: SyntaxNode, frame: Frame, methodNode: SyntaxNode | undefined, pathNode: SyntaxNode | undefined, keyNode: SyntaxNode | undefined, verb?: string): SdkCall | undefined {
    if (!pathNode) return undefined;
    let method = verb;
    if (!method) {
      const m = methodNode ? this.program.literal(this.program.evaluate(methodNode, frame)) : undefined;
      if (m === undefined || !/^[A-Za-z]+$/.test(m)) return undefined;
      method = m.toLowerCase();
    }
    const raw = this.program.fold(this.program.evaluate(pathNode, frame), pathNode);
    const out: SdkCall = {
      client: this.client.name,
      method,
      path: clean(clientPath(raw, this.client.callSite.basePath)),
      span: this.program.span(pathNode, frame.module),
      callSpan: this.program.span(call, frame.module),
    };
    if (keyNode) {
      const key = this.program.literal(this.program.evaluate(keyNode, frame));
      if (key !== undefined) out.key = key;
    }
    return out;
  }
}

/**
 * A called path as the client syntax understands it: query and fragment dropped, an absolute
 * URL cut to its path, an expression that fills a whole segment (`f"/sessions/{session_id}"`)
 * written as `{session_id}`, and the base path in front of a relative path (`""` is the base path
 * itself). A path that starts with an unknown expression (`f"{base}/x"`) keeps it as an opaque
 * hole and gets no base path: the hole may already hold it.
 */
export function clientPath(parts: Part[], basePath: string): Part[] {
  let p = stripQuery(parts);
  let absolute = false;
  const first = p[0];
  if (typeof first === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(first)) {
    absolute = true;
    const afterScheme = first.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
    const slash = afterScheme.indexOf('/');
    if (slash >= 0) p = concatParts([afterScheme.slice(slash)], p.slice(1));
    else {
      // The host is (partly) an expression: the path starts at the first literal slash after it.
      const rest = p.slice(1);
      const i = rest.findIndex((x) => typeof x === 'string' && x.includes('/'));
      p = i < 0 ? [] : concatParts([(rest[i] as string).slice((rest[i] as string).indexOf('/'))], rest.slice(i + 1));
    }
  }
  p = p.map((part, i) => {
    if (!isHole(part) || !part.ref || i === 0) return part;
    const before = p[i - 1];
    const after = p[i + 1];
    const wholeSegment = typeof before === 'string' && before.endsWith('/') && (after === undefined || (typeof after === 'string' && after.startsWith('/')));
    return wholeSegment ? `{${part.ref}}` : part;
  });
  p = concatParts(p);
  if (absolute) return p.length === 0 ? ['/'] : p;
  if (p.length > 0 && isHole(p[0])) return p;
  const base = basePath.replace(/\/+$/, '');
  if (p.length === 0) return basePath === '' ? [] : [basePath];
  const head = p[0] as string;
  return concatParts([base], head.startsWith('/') ? [] : ['/'], p);
}
