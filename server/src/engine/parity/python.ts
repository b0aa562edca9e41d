import type { ClientConfig } from '../config/config';
import type { ProjectContext } from '../context';
import type { Extraction, SdkCall } from './model';
import { CallCollector } from './python/calls';
import { Program } from './python/program';
import { RouteCollector } from './python/routes';

/**
 * Routes of a FastAPI/Starlette or Flask server, read from its Python sources.
 *
 * Each file is parsed once (error-tolerant; a half-typed statement loses only itself) and walked
 * once, following imports into other project modules. Paths are full (every mount prefix,
 * outermost first) in the framework's own syntax (`{id}`, `{p:path}`, `<int:id>`); what cannot be
 * folded to a constant is an opaque hole. See `python/routes.ts` for the mount graph.
 *
 * Called by the parity check with the server's source files; `files` of the result are every file
 * read, imported modules included.
 */
export function extractPythonRoutes(ctx: ProjectContext, files: string[], framework: 'fastapi' | 'flask'): Extraction {
  const program = new Program(ctx);
  try {
    const collector = new RouteCollector(program, framework);
    program.domain = collector;
    for (const f of files) program.load(f);
    return { routes: collector.routes().sort(bySpan), files: [...program.files] };
  } finally {
    program.dispose();
  }
}

/**
 * HTTP calls made by Python client code (`client.callSite.kind`: a wrapper function such as
 * `self._request(key, method, path)`, or httpx/requests). Only calls inside `files` are reported;
 * other project modules are read for the constants they export.
 */
export function extractPythonCalls(ctx: ProjectContext, files: string[], client: ClientConfig): SdkCall[] {
  const program = new Program(ctx);
  try {
    const collector = new CallCollector(program, client, new Set(files));
    program.domain = collector;
    for (const f of files) program.load(f);
    return collector.calls.sort(bySpan);
  } finally {
    program.dispose();
  }
}

/** Source order: by file, then offset (stable, so one registration's several routes keep their order). */
function bySpan(a: { span: { file: string; start: number } }, b: { span: { file: string; start: number } }): number {
  if (a.span.file !== b.span.file) return a.span.file < b.span.file ? -1 : 1;
  return a.span.start - b.span.start;
}
