import * as path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import schema from '../../../../schemas/contract-lens.schema.json';
import { finding, type Finding, type Span } from '../findings';
import type { AstNode } from '../parse/ast';
import { toValue } from '../parse/ast';
import type { ParsedDocument } from '../parse/document';
import type { FileSystem } from '../host';
import { didYouMean } from '../similarity';
import { isFindingCode, catalog } from '../codes';
import { isInside } from '../paths';
import { defaultConfig, defaultMaxFileSize, type ClientConfig, type ProjectConfig } from './config';

// Compiled once per process: the schema is a constant of the product, not of a project.
const validate = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(schema);

export interface LoadedConfig {
  config: ProjectConfig;
  findings: Finding[];
}

/**
 * Validates a parsed contract-lens.yaml against the published schema and against the disk
 * (named files exist, globs match, paths stay in the project), and returns the usable part.
 * Every problem is a finding at the key or value that must change.
 */
export function loadConfig(doc: ParsedDocument, fs: FileSystem): LoadedConfig {
  const root = path.dirname(doc.path);
  const config = defaultConfig(root);
  config.configFile = doc.path;
  const findings: Finding[] = [];
  if (!doc.root) return { config, findings };
  if (doc.root.kind !== 'object') {
    findings.push(finding('config.invalid-value', 'contract-lens.yaml must be a mapping of settings (spec, server, clients, coverage, generate, rules).', span(doc, doc.root)));
    return { config, findings };
  }
  const value = toValue(doc.root) as Record<string, any>;
  const invalidPaths = new Set<string>();
  if (!validate(value)) {
    for (const err of dedupe(validate.errors ?? [])) {
      findings.push(schemaFinding(doc, err));
      invalidPaths.add(err.instancePath);
    }
  }
  const ok = (pointer: string) => ![...invalidPaths].some((p) => p === pointer || p.startsWith(pointer + '/') || pointer.startsWith(p + '/'));
  const nodeAt = (pointer: string) => nodeAtPointer(doc.root!, pointer);

  const projectPath = (raw: string, pointer: string, kind: 'file' | 'any' = 'file'): string | undefined => {
    const abs = path.resolve(root, raw);
    const at = span(doc, nodeAt(pointer) ?? doc.root!);
    if (!isInside(root, abs) || !isInside(fs.realpath(root), realLocation(fs, abs))) {
      findings.push(finding('config.path-outside-project', `"${raw}" is outside the project folder; Contract Lens only reads files inside it.`, at, { data: { value: raw } }));
      return undefined;
    }
    if (kind === 'file' && fs.stat(abs) !== 'file') {
      const near = suggestSibling(fs, abs);
      findings.push(finding('config.path-not-found', `"${raw}" does not exist (looked for ${abs}).${near ? ` Did you mean "${near}"?` : ''}`, at, { data: { value: raw, ...(near ? { suggestion: near } : {}) } }));
      return undefined;
    }
    return abs;
  };
  const globs = (list: string[], pointer: string): string[] => {
    list.forEach((g, i) => {
      if (path.isAbsolute(g) || g.split(/[\\/]/).includes('..')) {
        findings.push(finding('config.path-outside-project', `"${g}" leaves the project folder; source globs are relative to ${path.basename(root)}/ and stay inside it.`, span(doc, nodeAt(`${pointer}/${i}`) ?? doc.root!), { data: { value: g } }));
      } else if (fs.glob([g], root).length === 0) {
        findings.push(finding('config.no-match', `"${g}" matches no file in the project folder.`, span(doc, nodeAt(`${pointer}/${i}`) ?? doc.root!), { data: { value: g } }));
      }
    });
    return list.filter((g) => !path.isAbsolute(g) && !g.split(/[\\/]/).includes('..'));
  };

  if (value.spec !== undefined && ok('/spec')) {
    const list: string[] = typeof value.spec === 'string' ? [value.spec] : value.spec;
    list.forEach((s, i) => {
      const abs = projectPath(s, typeof value.spec === 'string' ? '/spec' : `/spec/${i}`);
      if (abs) config.specs.push(abs);
    });
  }
  if (value.server && ok('/server')) {
    const s = value.server;
    config.server = { framework: s.framework, sources: globs(s.sources ?? [], '/server/sources'), exclude: s.exclude ?? [], prefix: s.prefix, tsconfig: s.tsconfig !== undefined ? projectPath(s.tsconfig, '/server/tsconfig') : undefined };
  }
  if (Array.isArray(value.clients)) {
    value.clients.forEach((c: any, i: number) => {
      if (!ok(`/clients/${i}`)) return;
      const cs = c.callSite ?? {};
      const client: ClientConfig = {
        name: c.name ?? `${c.language} client ${i + 1}`,
        language: c.language,
        sources: globs(c.sources ?? [], `/clients/${i}/sources`),
        exclude: c.exclude ?? [],
        callSite: {
          kind: cs.kind ?? (c.language === 'python' ? 'httpx' : 'fetch'),
          function: cs.function,
          keyArgument: cs.keyArgument,
          methodArgument: cs.methodArgument ?? 0,
          pathArgument: cs.pathArgument ?? 1,
          basePath: cs.basePath ?? '',
        },
      };
      config.clients.push(client);
    });
  }
  if (value.coverage && ok('/coverage')) {
    const c = value.coverage;
    const py = c.python ?? {};
    config.coverage = {
      source: c.source ?? (typeof c.file === 'string' && c.file.endsWith('.py') ? 'python' : 'yaml'),
      file: c.file !== undefined ? projectPath(c.file, '/coverage/file') : undefined,
      mode: c.mode ?? 'typed-only',
      python: {
        contractsVariable: py.contractsVariable ?? 'TYPED_OPERATIONS',
        allVariable: py.allVariable ?? 'ALL_OPERATION_IDS',
        rawVariable: py.rawVariable ?? 'RAW_OPERATION_IDS',
        strictVariable: py.strictVariable ?? 'STRICT_OPERATION_IDS',
        contractClass: py.contractClass ?? 'TypedOperationContract',
      },
    };
  }
  if (Array.isArray(value.generate)) {
    value.generate.forEach((g: any, i: number) => {
      if (!ok(`/generate/${i}`)) return;
      const out = projectPath(g.output, `/generate/${i}/output`, 'any');
      if (out) config.generate.push({ target: g.target, output: out, options: g.options ?? {} });
    });
  }
  if (value.rules && ok('/rules')) {
    for (const [code, level] of Object.entries<any>(value.rules.severity ?? {})) {
      if (!isFindingCode(code)) {
        const near = didYouMean(code, Object.keys(catalog));
        const keyProp = nodeAt('/rules/severity')?.kind === 'object' ? (nodeAt('/rules/severity') as any).map.get(code) : undefined;
        const at: Span = keyProp ? { file: doc.path, start: keyProp.keyStart, end: keyProp.keyEnd } : span(doc, doc.root);
        findings.push(finding('config.unknown-key', `"${code}" is not a Contract Lens finding code.${near ? ` Did you mean "${near}"?` : ''}`, at, { data: { key: code, ...(near ? { suggestion: near } : {}) } }));
        continue;
      }
      config.rules.severity[code] = level;
    }
    for (const item of value.rules.ignore ?? []) {
      if (typeof item === 'string') {
        const m = /^([A-Za-z]+)\s+(\/\S*)$/.exec(item.trim());
        if (m) config.rules.ignore.push({ method: m[1].toLowerCase(), path: m[2] });
        else if (item.startsWith('/')) config.rules.ignore.push({ path: item });
        else config.rules.ignore.push({ code: item });
      } else if (item && typeof item === 'object') {
        config.rules.ignore.push({ ...item, method: item.method?.toLowerCase() });
      }
    }
  }
  if (value.quality && ok('/quality')) {
    const q = value.quality;
    const quality = config.quality;
    if (typeof q.enabled === 'boolean') quality.enabled = q.enabled;
    if (Array.isArray(q.requiredStatuses)) quality.requiredStatuses = q.requiredStatuses.map(normalizeStatus);
    for (const [id, o] of Object.entries<any>(q.operations ?? {})) {
      quality.operations[id] = Array.isArray(o?.requiredStatuses) ? { requiredStatuses: o.requiredStatuses.map(normalizeStatus) } : {};
    }
    if (typeof q.spectralOas === 'boolean') quality.spectralOas = q.spectralOas;
    if (q.ruleset === true) {
      findings.push(finding('config.invalid-value', '"quality.ruleset" must be the path of a Spectral ruleset, or false for none.', span(doc, nodeAt('/quality/ruleset') ?? doc.root)));
    } else if (q.ruleset === false) {
      quality.ruleset = false;
    } else if (typeof q.ruleset === 'string') {
      const abs = projectPath(q.ruleset, '/quality/ruleset');
      // A named ruleset that cannot be used means none, rather than silently falling back to discovery.
      quality.ruleset = abs ?? false;
    }
  }
  if (value.limits?.maxFileSizeMB !== undefined && ok('/limits')) config.maxFileSize = Math.round(value.limits.maxFileSizeMB * 1024 * 1024);
  else config.maxFileSize = defaultMaxFileSize;
  return { config, findings };
}

/** `2xx` and `2XX` are the same range. */
function normalizeStatus(s: string): string {
  return /^[1-5]/.test(s) ? s.toUpperCase() : s;
}

function span(doc: ParsedDocument, node: { start: number; end: number }): Span {
  return { file: doc.path, start: node.start, end: node.end };
}

export function nodeAtPointer(root: AstNode, pointer: string): AstNode | undefined {
  if (pointer === '') return root;
  let node: AstNode | undefined = root;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node?.kind === 'object') node = node.map.get(seg)?.value;
    else if (node?.kind === 'array') node = node.items[Number(seg)];
    else return undefined;
  }
  return node;
}

/** With a union type (string or array), Ajv reports every branch; the first error per place says enough. */
function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = e.keyword === 'additionalProperties' ? `${e.instancePath}:${(e.params as any).additionalProperty}` : e.instancePath;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describePath(pointer: string): string {
  return pointer === '' ? 'the configuration' : `"${pointer.slice(1).split('/').map((s) => (/^\d+$/.test(s) ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[')}"`;
}

function typeName(v: unknown): string {
  return Array.isArray(v) ? 'a list' : v === null ? 'empty' : typeof v === 'object' ? 'a mapping' : typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : typeof v === 'boolean' ? 'a boolean' : typeof v;
}

function schemaFinding(doc: ParsedDocument, err: ErrorObject): Finding {
  const node = nodeAtPointer(doc.root!, err.instancePath) ?? doc.root!;
  const where = describePath(err.instancePath);
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = (err.params as { additionalProperty: string }).additionalProperty;
      const p = node.kind === 'object' ? node.map.get(key) : undefined;
      const allowed = Object.keys((err.parentSchema as any)?.properties ?? {});
      const near = didYouMean(key, allowed);
      const at: Span = p ? { file: doc.path, start: p.keyStart, end: p.keyEnd } : span(doc, node);
      return finding('config.unknown-key', `Unknown key "${key}" in ${where}.${near ? ` Did you mean "${near}"?` : ''} Allowed keys: ${allowed.join(', ')}.`, at, {
        data: { key, allowed, ...(near ? { suggestion: near } : {}) },
      });
    }
    case 'type': {
      const expected = ([] as string[]).concat((err.params as any).type).map((t) => (t === 'array' ? 'a list' : t === 'object' ? 'a mapping' : t === 'integer' ? 'a whole number' : `a ${t}`));
      return finding('config.invalid-value', `${where} must be ${expected.join(' or ')}, not ${typeName(err.data)}.`, span(doc, node), { data: { expected: (err.params as any).type } });
    }
    case 'enum': {
      const allowed = (err.params as any).allowedValues as string[];
      const near = typeof err.data === 'string' ? didYouMean(err.data, allowed) : undefined;
      return finding('config.invalid-value', `${where} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, not ${JSON.stringify(err.data)}.${near ? ` Did you mean "${near}"?` : ''}`, span(doc, node), {
        data: { allowed, ...(near ? { suggestion: near } : {}) },
      });
    }
    case 'required': {
      const missing = (err.params as any).missingProperty;
      return finding('config.invalid-value', `${where} needs the key "${missing}".`, span(doc, node), { data: { missing } });
    }
    default:
      return finding('config.invalid-value', `${where} ${err.message ?? 'is invalid'}.`, span(doc, node));
  }
}

/**
 * Where a path really is, symlinks resolved, even when it does not exist yet (a generate output
 * is created later): the real path of its nearest existing ancestor plus the rest. Resolving only
 * existing paths would let `output: out/models`, with `out` a symlink to a folder elsewhere, pass
 * as inside the project, and the generator would then write outside it.
 */
function realLocation(fs: FileSystem, p: string): string {
  const rest: string[] = [];
  let existing = p;
  while (fs.stat(existing) === undefined) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  return path.join(fs.realpath(existing), ...rest);
}

function suggestSibling(fs: FileSystem, abs: string): string | undefined {
  const dir = path.dirname(abs);
  if (fs.stat(dir) !== 'dir') return undefined;
  const names = fs.glob(['*'], dir).map((p) => path.basename(p));
  return didYouMean(path.basename(abs), names);
}

