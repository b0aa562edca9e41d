import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { CheckResult, Finding, Severity } from '../engine/index';
import { codeHref, diagnosticSource } from '../protocol';
import type { SeverityLevel } from '../settings';

const severity: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Engine finding → LSP diagnostic. Positions are converted here, at the edge, and nowhere else. */
export function toDiagnostic(f: Finding, result: CheckResult): Diagnostic {
  const d: Diagnostic = {
    range: result.lines(f.span.file).range(f.span.start, f.span.end),
    severity: severity[f.severity],
    code: f.code,
    codeDescription: { href: codeHref(f.code) },
    source: diagnosticSource,
    message: f.message,
  };
  if (f.related) {
    d.relatedInformation = f.related.map((r) => ({
      location: { uri: URI.file(r.span.file).toString(), range: result.lines(r.span.file).range(r.span.start, r.span.end) },
      message: r.message,
    }));
  }
  if (f.data) d.data = { ...f.data, code: f.code };
  if (f.code === 'ref.remote-not-fetched' || f.code === 'spec.unused-component') d.tags = [DiagnosticTag.Unnecessary];
  return d;
}

/**
 * The editor's own severity for a finding (`contractLens.severity`), applied on top of the
 * project's rules: an exact code wins over a `family.*` entry; `off` drops the finding (undefined)
 * from this editor only.
 */
export function overrideSeverity(f: Finding, overrides: Record<string, SeverityLevel>): Finding | undefined {
  const level = overrides[f.code] ?? overrides[`${f.code.slice(0, f.code.indexOf('.'))}.*`];
  if (level === 'off') return undefined;
  return level && level !== f.severity ? { ...f, severity: level } : f;
}
