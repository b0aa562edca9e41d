/**
 * Schema quality: the built-in Spectral ruleset (typed-target operations and the schemas they
 * reach), spectral:oas, and the project's own ruleset, on the trees the engine parsed. A separate,
 * asynchronous pass: `ContractEngine.check` stays fast, the server runs this in a worker thread,
 * and the CLI awaits it.
 */
export type { QualityInput, QualityJob, QualityOutcome, RulesetRef, TypedTarget } from './model';
export { runQuality, runQualityJob, qualityInput, supersededRules } from './run';
export { qualityJob, typedTargets } from './job';
export { findRulesets, rulesetFileNames } from './discover';
export { qualityFixes, type QualityFix } from './fixes';
export { builtinCodes } from './builtin';
