import type { Hover } from 'vscode-languageserver';
import type { CheckResult, Operation } from '../engine/index';

function within(offset: number, span: { start: number; end: number }): boolean {
  return offset >= span.start && offset <= span.end;
}

/** The operation whose method key or operationId is under the cursor, from the last good index. */
export function operationAt(results: CheckResult[], file: string, offset: number): { op: Operation; result: CheckResult } | undefined {
  for (const result of results) {
    for (const spec of result.specs) {
      for (const op of spec.index.operations) {
        if ((op.methodSpan.file === file && within(offset, op.methodSpan)) || (op.operationIdSpan?.file === file && within(offset, op.operationIdSpan))) return { op, result };
      }
    }
  }
  return undefined;
}

/** Hover over an operation: what it is, what it takes and returns. */
export function hoverOperation(results: CheckResult[], file: string, offset: number): Hover | null {
  const hit = operationAt(results, file, offset);
  if (!hit) return null;
  const { op, result } = hit;
  const lines = [`**${op.method.toUpperCase()}** \`${op.path}\``];
  lines.push(op.operationId ? `operationId \`${op.operationId}\`` : '_no operationId_');
  if (op.summary) lines.push('', op.summary);
  const params = op.parameters.map((p) => `\`${p.name}\` (${p.in}${p.required ? ', required' : ''})`);
  if (params.length) lines.push('', `Parameters: ${params.join(', ')}`);
  if (op.requestBody) lines.push('', `Request body: ${op.requestBody.media.map((m) => `${m.mediaType}${m.schemaRef ? ` → \`${m.schemaRef}\`` : ''}`).join(', ') || 'no content'}${op.requestBody.required ? ' (required)' : ''}`);
  if (op.responses.length) lines.push('', `Responses: ${op.responses.map((r) => r.status).join(', ')}`);
  if (op.tags.length) lines.push('', `Tags: ${op.tags.join(', ')}`);
  const span = op.methodSpan.file === file && within(offset, op.methodSpan) ? op.methodSpan : op.operationIdSpan!;
  return { contents: { kind: 'markdown', value: lines.join('\n') }, range: result.lines(file).range(span.start, span.end) };
}
