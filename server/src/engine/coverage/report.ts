import * as path from 'node:path';
import type { CheckResult } from '../engine';
import { relativePath } from '../paths';
import type { CoverageResult, CoverageTotals, OperationCoverage } from './model';
import { coverageRatio, coverageSummary } from './lens';

/** One line of a coverage table: a tag or a path and how its operations are covered. */
export interface CoverageRow {
  group: string;
  operations: number;
  typed: number;
  raw: number;
  undeclared: number;
  strict: number;
  /** The models the typed operations of the group use. */
  models: string[];
  /** The validation modes applied to the group's typed operations. */
  modes: string[];
}

export interface ProjectCoverageReport {
  /** The project's folder, relative to the report's base (its name when it is the base). */
  project: string;
  declarations: string;
  source: 'python' | 'yaml';
  mode: string;
  modelsFrom: CoverageResult['modelsFrom'];
  summary: string;
  totals: CoverageTotals;
  byTag: CoverageRow[];
  byPath: CoverageRow[];
  operations: {
    method: string;
    path: string;
    operationId?: string;
    tags: string[];
    state: OperationCoverage['state'];
    key?: string;
    request?: string;
    responses: { status?: string; model: string }[];
    strict: boolean;
    mode?: string;
    file: string;
    line: number;
  }[];
}

/** What `contract-lens coverage` prints and the report view shows: every project with coverage. */
export interface CoverageReport {
  version: 1;
  projects: ProjectCoverageReport[];
  totals: CoverageTotals;
}

function rows(ops: OperationCoverage[], groupsOf: (o: OperationCoverage) => string[]): CoverageRow[] {
  const byGroup = new Map<string, CoverageRow>();
  for (const o of ops) {
    for (const g of groupsOf(o)) {
      let row = byGroup.get(g);
      if (!row) byGroup.set(g, (row = { group: g, operations: 0, typed: 0, raw: 0, undeclared: 0, strict: 0, models: [], modes: [] }));
      row.operations++;
      row[o.state]++;
      if (o.strict) row.strict++;
      for (const m of [...(o.request ? [o.request] : []), ...o.responses.map((r) => r.model)]) if (!row.models.includes(m)) row.models.push(m);
      if (o.mode && !row.modes.includes(o.mode)) row.modes.push(o.mode);
    }
  }
  return [...byGroup.values()];
}

/** Builds the coverage report of the projects that declare coverage; offsets become 1-based lines. */
export function buildCoverageReport(results: CheckResult[], base: string): CoverageReport {
  const projects: ProjectCoverageReport[] = [];
  const totals: CoverageTotals = { operations: 0, typed: 0, raw: 0, undeclared: 0, strict: 0 };
  for (const r of results) {
    const c = r.coverage;
    if (!c) continue;
    for (const k of Object.keys(totals) as (keyof CoverageTotals)[]) totals[k] += c.totals[k];
    projects.push({
      project: relativePath(base, r.project.root) || path.basename(r.project.root),
      declarations: relativePath(base, c.file),
      source: c.source,
      mode: c.mode,
      modelsFrom: c.modelsFrom,
      summary: coverageSummary(c),
      totals: c.totals,
      byTag: rows(c.operations, (o) => (o.tags.length > 0 ? o.tags : ['(no tag)'])),
      byPath: rows(c.operations, (o) => [o.path]),
      operations: c.operations.map((o) => ({
        method: o.method.toUpperCase(),
        path: o.path,
        ...(o.operationId !== undefined ? { operationId: o.operationId } : {}),
        tags: o.tags,
        state: o.state,
        ...(o.key !== undefined ? { key: o.key } : {}),
        ...(o.request !== undefined ? { request: o.request } : {}),
        responses: o.responses,
        strict: o.strict,
        ...(o.mode !== undefined ? { mode: o.mode } : {}),
        file: relativePath(base, o.span.file),
        line: r.lines(o.span.file).positionAt(o.span.start).line + 1,
      })),
    });
  }
  return { version: 1, projects, totals };
}

/** A bar of `width` cells: filled for typed, light for the rest. */
export function coverageBar(typed: number, total: number, width = 20): string {
  const filled = total === 0 ? 0 : Math.round((typed / total) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

function table(header: string[], body: string[][], align: ('l' | 'r')[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...body.map(fmt)];
}

const rowCells = (r: CoverageRow) => [r.group, String(r.operations), String(r.typed), String(r.raw), String(r.undeclared), String(r.strict), coverageRatio(r.typed, r.operations), r.modes.join(', ') || '—', r.models.join(', ') || '—'];
const header = (first: string) => [first, 'ops', 'typed', 'raw', 'undeclared', 'strict', 'coverage', 'mode', 'models'];
const align: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'];

function undeclaredList(p: ProjectCoverageReport): string[] {
  return p.operations.filter((o) => o.state === 'undeclared').map((o) => `${o.method} ${o.path}${o.operationId ? ` (${o.operationId})` : ' (no operationId)'} · ${o.file}:${o.line}`);
}

/** Plain-text tables for a terminal. */
export function formatCoverageText(report: CoverageReport): string {
  const out: string[] = [];
  if (report.projects.length === 0) return 'No project declares typed coverage (add a `coverage` section to contract-lens.yaml).\n';
  for (const p of report.projects) {
    out.push(`${p.project} · ${p.declarations} (${p.source}) · mode ${p.mode}`, p.summary, '');
    out.push('By tag', ...table(header('tag'), p.byTag.map(rowCells), align), '');
    out.push('By path', ...table(header('path'), p.byPath.map(rowCells), align), '');
    const undeclared = undeclaredList(p);
    if (undeclared.length > 0) out.push('Undeclared', ...undeclared.map((u) => `  ${u}`), '');
  }
  if (report.projects.length > 1) out.push(`All projects: ${coverageRatio(report.totals.typed, report.totals.operations)} typed · strict ${report.totals.strict} · raw ${report.totals.raw} · undeclared ${report.totals.undeclared}`);
  return out.join('\n').trimEnd() + '\n';
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function mdTable(first: string, rows: CoverageRow[]): string[] {
  const h = header(first);
  return [`| ${h.join(' | ')} |`, `| ${align.map((a) => (a === 'r' ? '---:' : '---')).join(' | ')} |`, ...rows.map((r) => `| ${rowCells(r).map((c, i) => mdCell(i === 0 ? `\`${c}\`` : c)).join(' | ')} |`)];
}

/** Markdown: the summary, a bar chart of coverage per tag, and the tables per tag and per path. */
export function formatCoverageMarkdown(report: CoverageReport): string {
  const out: string[] = ['# Typed coverage', ''];
  if (report.projects.length === 0) return out.concat(['No project declares typed coverage.', '']).join('\n');
  for (const p of report.projects) {
    out.push(`## ${p.project}`, '', `Declarations: \`${p.declarations}\` (${p.source}) · default mode \`${p.mode}\` · models from ${p.modelsFrom}`, '', `**${p.summary}**`, '');
    const width = Math.max(...p.byTag.map((r) => r.group.length), 'total'.length);
    const chart = [...p.byTag, { group: 'total', typed: p.totals.typed, operations: p.totals.operations } as CoverageRow].map((r) => `${r.group.padEnd(width)}  ${coverageBar(r.typed, r.operations)}  ${coverageRatio(r.typed, r.operations)}`);
    out.push('```text', ...chart, '```', '');
    out.push('### By tag', '', ...mdTable('tag', p.byTag), '');
    out.push('### By path', '', ...mdTable('path', p.byPath), '');
    const undeclared = undeclaredList(p);
    if (undeclared.length > 0) out.push('### Undeclared', '', ...undeclared.map((u) => `- ${u}`), '');
  }
  return out.join('\n');
}

export function formatCoverageJson(report: CoverageReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
