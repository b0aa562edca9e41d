import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContractEngine, nodeHost, type CheckResult, type ProjectRef } from '../engine/index';

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** A CLI subcommand: parses its own arguments, writes to stdout/stderr, returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }): Promise<number>;
}

export interface Projects {
  engine: ContractEngine;
  refs: ProjectRef[];
  /** The folder reported paths are relative to. */
  base: string;
}

/** Resolves `[DIR] [--config FILE]` into projects, as every subcommand does. Returns a message on failure. */
export async function openProjects(dirArg: string | undefined, configArg: string | undefined): Promise<Projects | string> {
  const dir = path.resolve(dirArg ?? '.');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`"${dirArg ?? '.'}" is not a folder.`);
  const engine = new ContractEngine(nodeHost());
  await engine.init();
  if (configArg) {
    const configFile = path.resolve(configArg);
    if (!fs.existsSync(configFile) || !fs.statSync(configFile).isFile()) return `cannot read the config file "${configArg}".`;
    return { engine, refs: [{ kind: 'config', configFile }], base: path.dirname(configFile) };
  }
  const refs = engine.discover(dir);
  if (refs.length === 0) return `no contract-lens.yaml and no OpenAPI document found under ${dir}.`;
  return { engine, refs, base: dir };
}

export function checkAll(p: Projects): CheckResult[] {
  return p.refs.map((ref) => p.engine.check(ref));
}
