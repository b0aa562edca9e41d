import type { ParsedDocument } from '../parse/document';
import { appendItem, appendTopLevel, insertProperty, type Plain, type TextEdit } from '../edits';
import { templateParameters } from '../spec/operations';

/**
 * Quick fix for `parity.undocumented-route`: a stub operation for the route, added to the spec in
 * the file's own style (YAML block or JSON with its indentation), under an existing path item when
 * the path is already documented with other methods.
 */
export function specStubEdit(spec: ParsedDocument, data: { method: string; path: string; suggestedOperationId?: string }): TextEdit | undefined {
  const root = spec.root;
  if (root?.kind !== 'object') return undefined;
  const params = templateParameters(data.path).map((p) => ({ name: p.name, in: 'path', required: true, schema: { type: 'string' } }));
  const operation: Record<string, Plain> = {
    operationId: data.suggestedOperationId ?? `${data.method}${data.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    summary: `TODO: describe ${data.method.toUpperCase()} ${data.path}`,
  };
  if (params.length) operation.parameters = params;
  operation.responses = { '200': { description: 'TODO: describe the response' } };
  const paths = root.map.get('paths')?.value;
  if (paths?.kind !== 'object') return appendTopLevel(spec, 'paths', { [data.path]: { [data.method]: operation } });
  const item = paths.map.get(data.path)?.value;
  if (item?.kind === 'object' && !item.map.has('$ref')) return insertProperty(spec, item, data.method, operation);
  return insertProperty(spec, paths, data.path, { [data.method]: operation });
}

/** Quick fix: add "METHOD /path" to `rules.ignore` in contract-lens.yaml. */
export function ignoreRouteEdit(config: ParsedDocument, entry: string): TextEdit | undefined {
  const root = config.root;
  if (root && root.kind !== 'object') return undefined;
  if (!root) return appendTopLevel(config, 'rules', { ignore: [entry] });
  const rules = root.map.get('rules')?.value;
  if (!rules || rules.kind !== 'object') return rules ? undefined : appendTopLevel(config, 'rules', { ignore: [entry] });
  const ignore = rules.map.get('ignore')?.value;
  if (!ignore) return insertProperty(config, rules, 'ignore', [entry]);
  if (ignore.kind !== 'array') return undefined;
  if (ignore.items.length === 0) return { file: config.path, start: ignore.start, end: ignore.end, newText: JSON.stringify([entry]) };
  return appendItem(config, ignore, entry);
}
