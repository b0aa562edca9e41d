import * as TreeSitter from '@vscode/tree-sitter-wasm';
import type { ParsedSource, SourceParser, SyntaxNode, SyntaxTree } from '../../source/treesitter';

/**
 * Syntax trees of Python files that stay useful while a file is being typed.
 *
 * tree-sitter-python recovers badly from an unfinished top-level statement: one `ERROR` node
 * swallows everything after it (`@router.post("/b"` followed by more routes). When a file has a
 * top-level error, the top-level statement around the first broken token is blanked out (every
 * character but line breaks becomes a space, so offsets do not move) and the file is parsed again,
 * a few times at most. The rest of the file then parses normally, and spans taken from the new tree
 * still point into the original text.
 *
 * Owns the trees it creates; `dispose()` frees them (wasm memory is not garbage-collected).
 */
export class RecoveredSources {
  private parser: TreeSitter.Parser | undefined;
  private readonly owned: SyntaxTree[] = [];
  private readonly roots = new Map<string, SyntaxNode>();

  constructor(private readonly sources: SourceParser, private readonly maxAttempts = 8) {}

  /** The root node to walk for a parsed file (the original tree when it has no top-level error). */
  root(parsed: ParsedSource): SyntaxNode {
    const cached = this.roots.get(parsed.path);
    if (cached) return cached;
    let root = parsed.tree.rootNode;
    if (root.hasError) {
      let text = parsed.text;
      for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
        const at = firstTopLevelError(root);
        if (at === undefined) break;
        const [start, end] = statementAround(text, at);
        const blanked = text.slice(0, start) + text.slice(start, end).replace(/[^\r\n]/g, ' ') + text.slice(end);
        if (blanked === text) break;
        text = blanked;
        const tree = this.parse(text);
        if (!tree) break;
        root = tree.rootNode;
      }
    }
    this.roots.set(parsed.path, root);
    return root;
  }

  private parse(text: string): SyntaxTree | undefined {
    if (!this.parser) {
      this.parser = new TreeSitter.Parser();
      this.parser.setLanguage(this.sources.language('python'));
    }
    const tree = this.parser.parse(text) ?? undefined;
    if (tree) this.owned.push(tree);
    return tree;
  }

  dispose(): void {
    for (const t of this.owned) t.delete();
    this.owned.length = 0;
    this.roots.clear();
    this.parser?.delete();
    this.parser = undefined;
  }
}

/** Where the first top-level error really starts: its first nested ERROR or missing token. */
function firstTopLevelError(root: SyntaxNode): number | undefined {
  const candidates = root.type === 'ERROR' ? [root] : root.children.filter((c): c is SyntaxNode => !!c && c.type === 'ERROR');
  const top = candidates[0];
  if (!top) return undefined;
  const inner = (n: SyntaxNode): SyntaxNode | undefined => {
    for (const c of n.children) {
      if (!c) continue;
      if (c.type === 'ERROR' || c.isMissing) return inner(c) ?? c;
      if (c.hasError) {
        const d = inner(c);
        if (d) return d;
      }
    }
    return undefined;
  };
  return (inner(top) ?? top).startIndex;
}

/** A line that starts a top-level statement (not a continuation of a bracket or an if/try). */
function isTopLevelLine(line: string): boolean {
  return /^[A-Za-z_@]/.test(line) && !/^(else|elif|except|finally)\b/.test(line);
}

/**
 * The offsets of the top-level statement containing `offset`: from its first line (decorators
 * included) to the next line that starts another top-level statement.
 */
function statementAround(text: string, offset: number): [number, number] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineAt = (i: number) => text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : text.length);
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
  let first = line;
  while (first > 0 && !isTopLevelLine(lineAt(first))) first--;
  for (let prev = first - 1; prev >= 0; prev--) {
    const l = lineAt(prev);
    if (!isTopLevelLine(l)) continue;
    if (l.startsWith('@')) first = prev;
    else break;
  }
  let lastTop = lineAt(first);
  let end = text.length;
  for (let j = first + 1; j < starts.length; j++) {
    const l = lineAt(j);
    if (!isTopLevelLine(l)) continue;
    if (j <= line || lastTop.startsWith('@')) {
      lastTop = l;
      continue;
    }
    end = starts[j];
    break;
  }
  return [starts[first], end];
}
