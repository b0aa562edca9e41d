import { createHash } from 'node:crypto';
import { catalog, isFindingCode } from '../codes';
import type { CheckResult } from '../engine';
import type { Finding, Severity } from '../findings';
import { relativePath } from '../paths';
import type { LineRange } from '../text';

/** A finding with line/character positions and a path relative to the report's base folder. */
export interface ReportedFinding {
  code: string;
  severity: Severity;
  message: string;
  file: string;
  range: LineRange;
  related?: { file: string; range: LineRange; message: string }[];
  data?: Record<string, unknown>;
}

export interface Report {
  version: 1;
  findings: ReportedFinding[];
  summary: {
    errors: number;
    warnings: number;
    infos: number;
    hints: number;
    total: number;
    projects: number;
    specs: number;
    specFiles: number;
    paths: number;
    operations: number;
    /** Route parity summed over the projects that configure a server or clients (absent otherwise). */
    parity?: { operations: number; routes: number; calls: number; matchedOperations: number; matchedRoutes: number; matchedCalls: number };
    /** Typed coverage summed over the projects that declare it (absent when none does). */
    coverage?: { typed: number; raw: number; undeclared: number; strict: number; operations: number };
  };
}

/** Turns check results into the CLI's report: offsets become 0-based lines and UTF-16 columns. */
export function buildReport(results: CheckResult[], base: string): Report {
  const findings: ReportedFinding[] = [];
  const summary: Report['summary'] = { errors: 0, warnings: 0, infos: 0, hints: 0, total: 0, projects: results.length, specs: 0, specFiles: 0, paths: 0, operations: 0 };
  for (const result of results) {
    const convert = (f: Finding): ReportedFinding => {
      const out: ReportedFinding = {
        code: f.code,
        severity: f.severity,
        message: f.message,
        file: relativePath(base, f.span.file),
        range: result.lines(f.span.file).range(f.span.start, f.span.end),
      };
      if (f.related) out.related = f.related.map((r) => ({ file: relativePath(base, r.span.file), range: result.lines(r.span.file).range(r.span.start, r.span.end), message: r.message }));
      if (f.data) out.data = f.data;
      return out;
    };
    findings.push(...result.findings.map(convert));
    const s = result.summary;
    summary.errors += s.errors;
    summary.warnings += s.warnings;
    summary.infos += s.infos;
    summary.hints += s.hints;
    summary.specs += s.specs;
    summary.specFiles += s.specFiles;
    summary.paths += s.paths;
    summary.operations += s.operations;
    if (result.parity) {
      const p = (summary.parity ??= { operations: 0, routes: 0, calls: 0, matchedOperations: 0, matchedRoutes: 0, matchedCalls: 0 });
      for (const k of ['operations', 'routes', 'calls', 'matchedOperations', 'matchedRoutes', 'matchedCalls'] as const) p[k] += result.parity.summary[k];
    }
    if (result.coverage) {
      const c = (summary.coverage ??= { typed: 0, raw: 0, undeclared: 0, strict: 0, operations: 0 });
      for (const k of ['typed', 'raw', 'undeclared', 'strict', 'operations'] as const) c[k] += result.coverage.totals[k];
    }
  }
  summary.total = findings.length;
  return { version: 1, findings, summary };
}

/** Compiler-style lines: `file:line:col severity code message`, 1-based as editors expect. */
export function formatText(report: Report): string {
  const lines = report.findings.map((f) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.code} ${f.message}`);
  const s = report.summary;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  lines.push(
    `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.infos} info, ${plural(s.hints, 'hint')} in ${plural(s.projects, 'project')} (${plural(s.operations, 'operation')} in ${plural(s.specFiles, 'spec file')}).`,
  );
  return lines.join('\n') + '\n';
}

export function formatJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}

const sarifLevel: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** SARIF 2.1.0, as GitHub code scanning ingests it: one run, one rule per finding code. */
export function formatSarif(report: Report, toolVersion: string): string {
  const codes = [...new Set(report.findings.map((f) => f.code))].sort();
  const rules = codes.map((code) => ({
    id: code,
    name: code.replace(/[.-](\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()),
    shortDescription: { text: isFindingCode(code) ? catalog[code].summary : code },
    helpUri: `https://github.com/contract-lens/contract-lens#${code.replace(/\./g, '')}`,
    defaultConfiguration: { level: isFindingCode(code) ? sarifLevel[catalog[code].severity] : 'warning' },
  }));
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const region = (r: LineRange) => ({
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: Math.max(r.end.character + 1, r.start.line === r.end.line ? r.start.character + 2 : 1),
  });
  const location = (file: string, range: LineRange, message?: string, id?: number) => ({
    ...(id !== undefined ? { id } : {}),
    physicalLocation: { artifactLocation: { uri: encodeURI(file), uriBaseId: '%SRCROOT%' }, region: region(range) },
    ...(message ? { message: { text: message } } : {}),
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Contract Lens', semanticVersion: toolVersion, informationUri: 'https://github.com/contract-lens/contract-lens', rules } },
        results: report.findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: ruleIndex.get(f.code),
          level: sarifLevel[f.severity],
          message: { text: f.message },
          locations: [location(f.file, f.range)],
          ...(f.related ? { relatedLocations: f.related.map((r, i) => location(r.file, r.range, r.message, i + 1)) } : {}),
          partialFingerprints: { 'contractLens/v1': createHash('sha256').update(`${f.code}\0${f.file}\0${f.message}`).digest('hex').slice(0, 32) },
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
