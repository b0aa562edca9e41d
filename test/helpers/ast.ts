import type { AstNode } from '../../server/src/engine/parse/ast';

/** The first difference between two trees, as a path; undefined when they are the same. */
export function difference(a: AstNode | undefined, b: AstNode | undefined): string | undefined {
  const todo: [AstNode | undefined, AstNode | undefined, string][] = [[a, b, '$']];
  while (todo.length) {
    const [x, y, at] = todo.pop()!;
    if (!x || !y) {
      if (x !== y) return `${at}: one side is missing`;
      continue;
    }
    if (x.kind !== y.kind || x.start !== y.start || x.end !== y.end) return `${at}: ${x.kind}@${x.start}-${x.end} vs ${y.kind}@${y.start}-${y.end}`;
    if (x.kind === 'scalar' && y.kind === 'scalar') {
      if (!Object.is(x.value, y.value)) return `${at}: value ${JSON.stringify(x.value)} vs ${JSON.stringify(y.value)}`;
    } else if (x.kind === 'array' && y.kind === 'array') {
      if (x.items.length !== y.items.length) return `${at}: ${x.items.length} vs ${y.items.length} items`;
      x.items.forEach((item, i) => todo.push([item, y.items[i], `${at}[${i}]`]));
    } else if (x.kind === 'object' && y.kind === 'object') {
      if (x.properties.length !== y.properties.length) return `${at}: ${x.properties.length} vs ${y.properties.length} properties`;
      for (let i = 0; i < x.properties.length; i++) {
        const p = x.properties[i];
        const q = y.properties[i];
        for (const f of ['key', 'keyStart', 'keyEnd', 'keyContentStart', 'keyVerbatim'] as const) {
          if (p[f] !== q[f]) return `${at}.${p.key}: ${f} ${String(p[f])} vs ${String(q[f])}`;
        }
        todo.push([p.value, q.value, `${at}.${p.key}`]);
      }
      if (x.map.size !== y.map.size || [...x.map].some(([k, p]) => y.map.get(k)?.keyStart !== p.keyStart)) return `${at}: the maps differ`;
    }
  }
  return undefined;
}
