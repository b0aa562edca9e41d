/**
 * Python string literals: prefixes, escapes and the three formatting mini-languages (f-strings,
 * `%` and `str.format`), folded into literal pieces and holes. Pure text helpers; the evaluator
 * supplies the values of the holes.
 */

/** A piece of a string that could not be folded: its source text, and a parameter name when the
 *  expression is a plain reference (`session_id`, `self.id`, `item["id"]`). */
export interface Hole {
  opaque: string;
  ref?: string;
}
export type Part = string | Hole;

export function isHole(p: Part): p is Hole {
  return typeof p !== 'string';
}

/** Joins parts, merging adjacent literals and dropping empty ones. */
export function concatParts(...values: Part[][]): Part[] {
  const out: Part[] = [];
  for (const v of values) {
    for (const p of v) {
      if (typeof p === 'string') {
        if (p === '') continue;
        const last = out[out.length - 1];
        if (typeof last === 'string') out[out.length - 1] = last + p;
        else out.push(p);
      } else out.push(p);
    }
  }
  return out;
}

export function literalOf(parts: Part[]): string | undefined {
  if (parts.some(isHole)) return undefined;
  return (parts as string[]).join('');
}

/** Collapses whitespace so that a multi-line expression reads well in a hole or a label. */
export function compact(text: string, max = 80): string {
  const t = text.replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/,?\s*\)$/, ')').trim();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

export interface StringPrefix {
  raw: boolean;
  format: boolean;
  bytes: boolean;
}

export function parsePrefix(stringStart: string): StringPrefix {
  const p = stringStart.replace(/['"]+$/, '').toLowerCase();
  return { raw: p.includes('r'), format: p.includes('f'), bytes: p.includes('b') };
}

const simpleEscapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** Decodes the content of a (non-raw) literal the way Python does; unknown escapes stay as written. */
export function decodeContent(text: string, prefix: StringPrefix): string {
  let t = text;
  if (!prefix.raw) {
    t = t.replace(/\\(\r?\n|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|[0-7]{1,3}|.)/g, (m, e: string) => {
      if (e === '\n' || e === '\r\n') return '';
      if (e[0] === 'x' || e[0] === 'u' || e[0] === 'U') {
        if (e.length === 1) return m;
        const code = parseInt(e.slice(1), 16);
        return (prefix.bytes && e[0] !== 'x') || code > 0x10ffff ? m : String.fromCodePoint(code);
      }
      if (e[0] === 'N') return m;
      if (/^[0-7]+$/.test(e)) return String.fromCodePoint(parseInt(e, 8));
      return simpleEscapes[e] ?? m;
    });
  }
  if (prefix.format) t = t.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  return t;
}

/** One replacement field of a `%` format: `%s`, `%(name)s`, `%%`. */
export interface PercentField {
  start: number;
  end: number;
  name?: string;
  conversion: string;
}

export function percentFields(format: string): PercentField[] | undefined {
  const out: PercentField[] = [];
  const re = /%(?:\(([^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(.)/g;
  for (let m = re.exec(format); m; m = re.exec(format)) {
    if (!'diouxXeEfFgGcrsa%'.includes(m[2])) return undefined;
    out.push({ start: m.index, end: m.index + m[0].length, name: m[1], conversion: m[2] });
  }
  return out;
}

/** One replacement field of `str.format`: `{}`, `{0}`, `{name}`, with its conversion/spec. */
export interface BraceField {
  start: number;
  end: number;
  /** '' for automatic numbering. */
  key: string;
  /** Has `!conv`, `:spec` or an attribute/index (`{0.x}`): not a plain substitution. */
  complex: boolean;
}

/** Splits a `str.format` template into literal text and fields; undefined when malformed. */
export function braceFields(format: string): { literals: string[]; fields: BraceField[] } | undefined {
  const literals: string[] = [];
  const fields: BraceField[] = [];
  let lit = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === '{' && format[i + 1] === '{') {
      lit += '{';
      i++;
    } else if (c === '}' && format[i + 1] === '}') {
      lit += '}';
      i++;
    } else if (c === '{') {
      const close = format.indexOf('}', i);
      if (close < 0) return undefined;
      const inner = format.slice(i + 1, close);
      const m = /^([A-Za-z_][A-Za-z0-9_]*|\d+)?(.*)$/s.exec(inner)!;
      literals.push(lit);
      lit = '';
      fields.push({ start: i, end: close + 1, key: m[1] ?? '', complex: m[2] !== '' });
      i = close;
    } else if (c === '}') return undefined;
    else lit += c;
  }
  literals.push(lit);
  return { literals, fields };
}

/** Strips the query string and fragment from a folded client path. */
export function stripQuery(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    if (typeof p === 'string') {
      const cut = p.search(/[?#]/);
      if (cut >= 0) {
        out.push(p.slice(0, cut));
        return concatParts(out);
      }
    }
    out.push(p);
  }
  return concatParts(out);
}
