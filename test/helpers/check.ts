import { ContractEngine, silentLogger, type CheckResult } from '../../server/src/engine/index';
import { MemoryFileSystem } from './memoryFs';

/** Checks an in-memory project and returns the result plus a compact view of the findings. */
export function checkFiles(files: Record<string, string>, entry: { spec?: string; config?: string } = {}) {
  const fs = new MemoryFileSystem(files);
  const engine = new ContractEngine({ fs, logger: silentLogger });
  const result: CheckResult = entry.config
    ? engine.check({ kind: 'config', configFile: `/project/${entry.config}` })
    : engine.check({ kind: 'spec', specFile: `/project/${entry.spec ?? 'openapi.yaml'}`, root: '/project' });
  const view = result.findings.map((f) => {
    const r = result.lines(f.span.file).range(f.span.start, f.span.end);
    return {
      code: f.code,
      file: f.span.file.replace('/project/', ''),
      at: `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`,
      text: (fs.readFile(f.span.file) ?? '').slice(f.span.start, f.span.end),
      message: f.message,
      data: f.data,
    };
  });
  return { result, view, engine, fs };
}

let initialised: ContractEngine | undefined;

/** Like checkFiles, with the source parsers loaded (for parity and coverage checks). */
export async function checkProject(files: Record<string, string>, config = 'contract-lens.yaml') {
  const fs = new MemoryFileSystem(files);
  if (!initialised) {
    initialised = new ContractEngine({ fs, logger: silentLogger });
    await initialised.init();
  }
  const engine = new ContractEngine({ fs, logger: silentLogger });
  await engine.init();
  const result = engine.check({ kind: 'config', configFile: `/project/${config}` });
  const view = result.findings.map((f) => {
    const r = result.lines(f.span.file).range(f.span.start, f.span.end);
    return { code: f.code, file: f.span.file.replace('/project/', ''), at: `${r.start.line + 1}:${r.start.character + 1}`, text: (fs.readFile(f.span.file) ?? '').slice(f.span.start, f.span.end), message: f.message, data: f.data, related: f.related };
  });
  return { result, view };
}
