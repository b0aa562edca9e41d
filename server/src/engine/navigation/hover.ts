import { pathToFileURL } from 'node:url';
import type { CheckResult } from '../engine';
import type { Span } from '../findings';
import type { AstNode, ObjectNode } from '../parse/ast';
import { stringValue } from '../parse/ast';
import type { Operation } from '../spec/operations';
import { httpMethods } from '../spec/operations';
import { componentAtPointer, guessKind, isComponentKind, kindLabel, type ComponentKind } from '../spec/components';
import { operationsAt, linkOf } from './definition';
import { useAt } from './locate';
import { refName } from '../spec/pointer';
import { displayPath, type NavigationView } from './view';

/** Hover content as Markdown, and the span it describes. */
export interface HoverInfo {
  span: Span;
  markdown: string;
}

/**
 * Hover: on a `$ref` (or a discriminator mapping), a summary of its target (what it is, its type,
 * required properties, description); on an operation's method key or operationId, the operation
 * with its typed-coverage state and where the server implements it and the SDKs call it.
 */
export function hoverAt(view: NavigationView, offset: number): HoverInfo | undefined {
  const hit = useAt(view, offset);
  if (hit) {
    const target = hit.use.target;
    const doc = target ? hit.spec.graph.documents.get(target.file) : undefined;
    if (!target || !doc?.root) return undefined;
    const resolved = hit.spec.graph.deref(target.file, nodeAt(doc.root, target.segments));
    if (!resolved) return undefined;
    const component = componentAtPointer(doc, target.segments, view.rootFiles);
    const name = target.segments.length ? target.segments[target.segments.length - 1] : displayPath(hit.spec.result, target.file);
    const kind: ComponentKind | undefined = component && component.segments.length === target.segments.length ? component.kind : kindFromPointer(target.segments) ?? guessKind(resolved.node);
    const lines = [`**${name}** · ${kind ? kindLabel[kind] : 'definition'}${target.file !== hit.use.file ? ` · \`${displayPath(hit.spec.result, target.file)}\`` : ''}`, ''];
    lines.push(...describe(resolved.node, kind, (n) => typeText(n)));
    return { span: { file: hit.use.file, start: hit.use.node.start, end: hit.use.node.end }, markdown: trimBlank(lines).join('\n') };
  }
  const ops = operationsAt(view, offset).filter((o) => o.origin !== o.op.pathSpan);
  if (ops.length === 0) return undefined;
  const { op, spec, origin } = ops[0];
  return { span: origin, markdown: operationMarkdown(view, spec.result, op) };
}

function kindFromPointer(segments: readonly string[]): ComponentKind | undefined {
  return segments.length === 3 && segments[0] === 'components' && isComponentKind(segments[1]) ? segments[1] : undefined;
}

function nodeAt(root: AstNode, segments: readonly string[]): AstNode | undefined {
  let node: AstNode | undefined = root;
  for (const seg of segments) {
    if (node?.kind === 'object') node = node.map.get(seg)?.value;
    else if (node?.kind === 'array') node = node.items[Number(seg)];
    else return undefined;
  }
  return node;
}

function trimBlank(lines: string[]): string[] {
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}


/** A schema's type in a few words: `string (date-time)`, `array of Pet`, `oneOf Cat | Dog`. */
export function typeText(node: AstNode | undefined, depth = 0): string {
  if (!node || node.kind !== 'object') return 'any';
  const ref = stringValue(node.map.get('$ref')?.value);
  if (ref !== undefined) return refName(ref);
  if (depth > 3) return '…';
  for (const combinator of ['oneOf', 'anyOf', 'allOf'] as const) {
    const list = node.map.get(combinator)?.value;
    if (list?.kind === 'array') return `${combinator} ${list.items.map((i) => typeText(i, depth + 1)).join(combinator === 'allOf' ? ' & ' : ' | ')}`;
  }
  const enumNode = node.map.get('enum')?.value;
  if (enumNode?.kind === 'array') {
    const values = enumNode.items.slice(0, 6).map((v) => (v.kind === 'scalar' ? JSON.stringify(v.value) : '…'));
    return `enum ${values.join(' | ')}${enumNode.items.length > 6 ? ' | …' : ''}`;
  }
  const typeNode = node.map.get('type')?.value;
  const types = typeNode?.kind === 'array' ? typeNode.items.map(stringValue).filter((t): t is string => !!t) : typeNode ? [stringValue(typeNode) ?? 'any'] : [];
  const format = stringValue(node.map.get('format')?.value);
  const nullable = node.map.get('nullable')?.value;
  const parts = types.filter((t) => t !== 'null').map((t) => {
    if (t === 'array') return `array of ${typeText(node.map.get('items')?.value, depth + 1)}`;
    return format && t !== 'object' ? `${t} (${format})` : t;
  });
  if (parts.length === 0) parts.push(node.map.has('properties') ? 'object' : node.map.has('items') ? `array of ${typeText(node.map.get('items')?.value, depth + 1)}` : 'any');
  if (types.includes('null') || (nullable?.kind === 'scalar' && nullable.value === true)) parts.push('null');
  return parts.join(' | ');
}

/** The first paragraph of a description, short enough for a hover. */
function shortText(node: AstNode | undefined): string | undefined {
  const s = stringValue(node);
  if (!s) return undefined;
  const first = s.trim().split(/\n\s*\n/)[0].replace(/\s+/g, ' ');
  return first.length > 300 ? first.slice(0, 297) + '…' : first;
}

const maxProperties = 12;

/** The lines describing a resolved target, by kind. */
function describe(node: AstNode, kind: ComponentKind | undefined, type: (n: AstNode | undefined) => string): string[] {
  if (node.kind !== 'object') return [`\`${node.kind === 'scalar' ? JSON.stringify(node.value) : 'array'}\``];
  const out: string[] = [];
  const description = shortText(node.map.get('description')?.value) ?? shortText(node.map.get('summary')?.value);
  const title = stringValue(node.map.get('title')?.value);
  const effective = kind ?? guessKind(node);
  switch (effective) {
    case 'parameters': {
      const required = node.map.get('required')?.value;
      out.push(`\`${stringValue(node.map.get('name')?.value) ?? '?'}\` in ${stringValue(node.map.get('in')?.value) ?? '?'}${required?.kind === 'scalar' && required.value === true ? ', required' : ''}: \`${type(node.map.get('schema')?.value)}\``);
      break;
    }
    case 'responses':
    case 'requestBodies': {
      const required = node.map.get('required')?.value;
      if (effective === 'requestBodies' && required?.kind === 'scalar' && required.value === true) out.push('Required.');
      out.push(...content(node, type));
      break;
    }
    case 'headers':
      out.push(`\`${type(node.map.get('schema')?.value)}\``);
      break;
    case 'pathItems': {
      const ops = node.properties.filter((p) => (httpMethods as readonly string[]).includes(p.key));
      for (const p of ops) out.push(`- **${p.key.toUpperCase()}**${p.value.kind === 'object' && stringValue(p.value.map.get('operationId')?.value) ? ` \`${stringValue(p.value.map.get('operationId')?.value)}\`` : ''}`);
      break;
    }
    case 'schemas':
    case undefined:
      out.push(...schemaLines(node, type));
      break;
    default:
      break;
  }
  if (title) out.unshift(`*${title}*`, '');
  if (description) out.push('', description);
  return out;
}

function content(node: ObjectNode, type: (n: AstNode | undefined) => string): string[] {
  const c = node.map.get('content')?.value;
  if (c?.kind !== 'object' || c.properties.length === 0) return ['No content.'];
  return c.properties.map((p) => `- \`${p.key}\`: \`${type(p.value.kind === 'object' ? p.value.map.get('schema')?.value : undefined)}\``);
}

function schemaLines(node: ObjectNode, type: (n: AstNode | undefined) => string): string[] {
  const out = [`\`${type(node)}\``];
  const props = node.map.get('properties')?.value;
  const requiredNode = node.map.get('required')?.value;
  const required = requiredNode?.kind === 'array' ? requiredNode.items.map(stringValue).filter((s): s is string => s !== undefined) : [];
  if (required.length) out.push('', `Required: ${required.map((r) => `\`${r}\``).join(', ')}`);
  if (props?.kind === 'object' && props.properties.length) {
    out.push('');
    for (const p of props.properties.slice(0, maxProperties)) out.push(`- \`${p.key}\`${required.includes(p.key) ? '\\*' : ''}: ${type(p.value)}`);
    if (props.properties.length > maxProperties) out.push(`- … ${props.properties.length - maxProperties} more`);
  }
  return out;
}

/** Markdown for an operation: what it is, its typed-coverage state, where it is implemented and called. */
export function operationMarkdown(view: NavigationView, result: CheckResult, op: Operation): string {
  const lines = [`**${op.method.toUpperCase()}** \`${op.path}\``];
  lines.push(op.operationId ? `operationId \`${op.operationId}\`` : '_no operationId_');
  if (op.summary) lines.push('', op.summary);
  const params = op.parameters.map((p) => `\`${p.name}\` (${p.in}${p.required ? ', required' : ''})`);
  if (params.length) lines.push('', `Parameters: ${params.join(', ')}`);
  if (op.requestBody) lines.push('', `Request body: ${op.requestBody.media.map((m) => `${m.mediaType}${m.schemaRef ? ` → \`${m.schemaRef}\`` : ''}`).join(', ') || 'no content'}${op.requestBody.required ? ' (required)' : ''}`);
  if (op.responses.length) lines.push('', `Responses: ${op.responses.map((r) => r.status).join(', ')}`);
  if (op.tags.length) lines.push('', `Tags: ${op.tags.join(', ')}`);
  const coverage = result.coverage?.operations.find((o) => o.method === op.method && o.path === op.path);
  if (coverage) {
    lines.push('');
    if (coverage.state === 'typed') {
      const models = [coverage.request ? `request \`${coverage.request}\`` : '', coverage.responses.length ? `responses ${coverage.responses.map((r) => `\`${r.status ? `${r.status}: ` : ''}${r.model}\``).join(', ')}` : ''].filter(Boolean);
      lines.push(`Coverage: **typed**${coverage.key ? ` as \`${coverage.key}\`` : ''}${models.length ? ` · ${models.join(' · ')}` : ''}${coverage.strict ? ' · strict' : ''}`);
    } else if (coverage.state === 'raw') lines.push('Coverage: **raw** (the SDK passes plain JSON)');
    else lines.push('Coverage: **undeclared** (neither typed nor raw)');
  }
  const link = linkOf(result, op);
  if (result.parity) {
    const at = (span: Span) => {
      const line = view.lines(span.file).positionAt(span.start).line + 1;
      return `[${displayPath(result, span.file)}:${line}](${pathToFileURL(span.file).href}#L${line})`;
    };
    lines.push('');
    if (link?.routes.length) lines.push(`Implemented by ${link.routes.map((r) => at(r.route.span)).join(', ')}`);
    else if (result.parity.framework) lines.push('Not implemented by the server');
    if (link?.calls.length) lines.push('', `Called by ${link.calls.map((c) => at(c.call.span)).join(', ')}`);
  }
  return trimBlank(lines).join('\n');
}
