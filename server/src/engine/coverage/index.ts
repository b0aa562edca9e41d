/**
 * Typed coverage: which spec operations an SDK handles with typed models, which stay raw, and
 * whether the declarations still match the spec and the generated models. The check runs inside
 * `ContractEngine.check` (`CheckResult.coverage`); the doors use the functions below for
 * CodeLens, quick fixes, the status bar and the report.
 */
export { checkCoverage } from './check';
export { coverageFixes, declareTyped, declareRaw, suggestKey } from './fixes';
export { coverageLenses, coverageStatus, coverageSummary, coverageRatio, operationTitle, type CoverageLens } from './lens';
export { buildCoverageReport, formatCoverageText, formatCoverageMarkdown, formatCoverageJson, coverageBar, type CoverageReport, type CoverageRow, type ProjectCoverageReport } from './report';
export { applyEdits } from './textEdit';
export { declarationsFileName } from './yaml';
export type * from './model';
