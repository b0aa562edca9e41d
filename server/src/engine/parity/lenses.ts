import type { Span } from '../findings';
import { relativePath } from '../paths';
import type { LineIndex } from '../text';
import type { ParityResult } from './parity';

/** A CodeLens as plain data: where it sits, what it says, where a click goes. */
export interface Lens {
  span: Span;
  title: string;
  target?: Span;
}

function where(root: string, lines: (file: string) => LineIndex, span: Span): string {
  return `${relativePath(root, span.file)}:${lines(span.file).positionAt(span.start).line + 1}`;
}

/**
 * CodeLens of route parity for one file: above each spec operation, where it is implemented and
 * called; above each route registration, whether (and as what) the spec documents it; above each
 * SDK call, the operation it calls.
 */
export function parityLenses(parity: ParityResult, file: string, root: string, lines: (file: string) => LineIndex, serverChecked: boolean): Lens[] {
  const out: Lens[] = [];
  for (const [op, link] of parity.links) {
    if (op.methodSpan.file !== file) continue;
    if (link.routes.length > 0) {
      const first = link.routes[0].route;
      out.push({ span: op.methodSpan, title: `implemented · ${where(root, lines, first.span)}${link.routes.length > 1 ? ` (+${link.routes.length - 1})` : ''}`, target: first.callSpan });
    } else if (serverChecked) {
      out.push({ span: op.methodSpan, title: 'not implemented' });
    }
    if (link.calls.length > 0) {
      const first = link.calls[0].call;
      out.push({ span: op.methodSpan, title: `called by ${where(root, lines, first.span)}${link.calls.length > 1 ? ` (+${link.calls.length - 1})` : ''}`, target: first.callSpan });
    }
  }
  for (const m of parity.routes) {
    if (m.route.span.file !== file) continue;
    const verb = m.route.methods.map((x) => (x === '*' ? 'ALL' : x.toUpperCase())).join(',');
    const title =
      m.status === 'documented' && m.operation
        ? `documented · ${m.operation.method.toUpperCase()} ${m.operation.path}${m.operation.operationId ? ` · ${m.operation.operationId}` : ''}`
        : m.status === 'non-operation'
          ? `${m.route.kind} · ${verb} ${m.template} · not an API operation`
          : m.status === 'excluded'
            ? `excluded from the spec · ${verb} ${m.template}`
            : m.status === 'unverifiable'
              ? `unverifiable · ${verb} ${m.template}`
              : m.status === 'ignored'
                ? `ignored · ${verb} ${m.template}`
                : `undocumented · ${verb} ${m.template}`;
    out.push({ span: m.route.callSpan, title, target: m.operation ? m.operation.methodSpan : undefined });
  }
  for (const c of parity.calls) {
    if (c.call.span.file !== file) continue;
    out.push({
      span: c.call.callSpan,
      title: c.operation ? `→ ${c.operation.method.toUpperCase()} ${c.operation.path}${c.operation.operationId ? ` · ${c.operation.operationId}` : ''}` : `→ ${c.call.method.toUpperCase()} ${c.template} · not in the spec`,
      target: c.operation?.methodSpan,
    });
  }
  return out;
}
