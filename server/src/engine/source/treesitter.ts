import * as fs from 'node:fs';
import * as path from 'node:path';
import * as TreeSitter from '@vscode/tree-sitter-wasm';
import { LineIndex } from '../text';

export type SourceLanguage = 'typescript' | 'tsx' | 'javascript' | 'python';
export type SyntaxNode = TreeSitter.Node;
export type SyntaxTree = TreeSitter.Tree;

const grammarFiles: Record<SourceLanguage, string> = {
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  python: 'tree-sitter-python.wasm',
};

export function languageOf(file: string): SourceLanguage | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') return 'typescript';
  if (ext === '.tsx') return 'tsx';
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs' || ext === '.jsx') return 'javascript';
  if (ext === '.py' || ext === '.pyi') return 'python';
  return undefined;
}

/** Where the wasm files are: beside the bundle (dist/wasm) or in the npm package (tests, CLI from source). */
function defaultWasmDir(): string {
  const candidates = [path.join(__dirname, 'wasm'), path.join(__dirname, '..', 'wasm')];
  try {
    candidates.push(path.dirname(require.resolve('@vscode/tree-sitter-wasm')));
  } catch {
    /* bundled without the package: the dist/wasm copy must exist */
  }
  return candidates.find((d) => fs.existsSync(path.join(d, 'tree-sitter.wasm'))) ?? candidates[0];
}

/** A parsed source file: its tree and its text, cached by path and text. */
export interface ParsedSource {
  path: string;
  text: string;
  language: SourceLanguage;
  tree: SyntaxTree;
  lines: LineIndex;
}

/**
 * Error-tolerant parsing of server and SDK sources with tree-sitter (the grammars VS Code uses).
 * The runtime and grammars load once, asynchronously (`init`); parsing is then synchronous, so a
 * check stays one synchronous pass. A half-typed file still yields a tree with ERROR nodes.
 */
export class SourceParser {
  private parser: TreeSitter.Parser | undefined;
  private readonly languages = new Map<SourceLanguage, TreeSitter.Language>();
  private readonly cache = new Map<string, ParsedSource>();
  private initializing: Promise<void> | undefined;

  constructor(private readonly wasmDir = defaultWasmDir()) {}

  init(): Promise<void> {
    if (!this.initializing) {
      this.initializing = (async () => {
        await TreeSitter.Parser.init({ locateFile: (file: string) => path.join(this.wasmDir, file) });
        this.parser = new TreeSitter.Parser();
        for (const [lang, file] of Object.entries(grammarFiles) as [SourceLanguage, string][]) {
          this.languages.set(lang, await TreeSitter.Language.load(fs.readFileSync(path.join(this.wasmDir, file))));
        }
      })();
    }
    return this.initializing;
  }

  get ready(): boolean {
    return this.parser !== undefined && this.languages.size === Object.keys(grammarFiles).length;
  }

  language(lang: SourceLanguage): TreeSitter.Language {
    const l = this.languages.get(lang);
    if (!l) throw new Error('SourceParser.init() must complete before parsing');
    return l;
  }

  /** Parses (or returns the cached parse of) a file's text; undefined for unknown extensions. */
  parse(file: string, text: string): ParsedSource | undefined {
    const language = languageOf(file);
    if (!language) return undefined;
    const cached = this.cache.get(file);
    if (cached && cached.text === text) return cached;
    const parser = this.parser;
    if (!parser) throw new Error('SourceParser.init() must complete before parsing');
    parser.setLanguage(this.language(language));
    const tree = parser.parse(text);
    if (!tree) return undefined;
    cached?.tree.delete();
    const parsed: ParsedSource = { path: file, text, language, tree, lines: new LineIndex(text) };
    this.cache.set(file, parsed);
    return parsed;
  }

  /**
   * Runs `use` on a parse of `text` without replacing the cached parse: the cached one when the
   * text is the same, else a throwaway tree (deleted afterwards). For requests that read a newer
   * text than the last check, whose results may still hold nodes of the cached tree.
   */
  peek<T>(file: string, text: string, use: (src: ParsedSource) => T): T | undefined {
    const language = languageOf(file);
    if (!language || !this.parser) return undefined;
    const cached = this.cache.get(file);
    if (cached && cached.text === text) return use(cached);
    this.parser.setLanguage(this.language(language));
    const tree = this.parser.parse(text);
    if (!tree) return undefined;
    try {
      return use({ path: file, text, language, tree, lines: new LineIndex(text) });
    } finally {
      tree.delete();
    }
  }

  /** A query compiled once per language and source. */
  private readonly queries = new Map<string, TreeSitter.Query>();
  query(lang: SourceLanguage, source: string): TreeSitter.Query {
    const key = `${lang}\0${source}`;
    let q = this.queries.get(key);
    if (!q) {
      q = new TreeSitter.Query(this.language(lang), source);
      this.queries.set(key, q);
    }
    return q;
  }

  forget(file: string): void {
    this.cache.get(file)?.tree.delete();
    this.cache.delete(file);
  }
}
