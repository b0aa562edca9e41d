/**
 * Authoring a contract: navigation (definition, implementation, references), rename, hover,
 * completion and the outline, as plain data with offsets. Every function takes a
 * `NavigationView` (the current texts of the specs that include a file, and the last results of
 * its projects), built by a `Navigator`; the language server converts the answers to LSP shapes.
 */
export { Navigator, checkedText, type NavigationView, type NavSpec } from './view';
export { textDelta, type TextDelta } from './delta';
export { definitionAt, implementationsAt, type NavTarget } from './definition';
export { referencesAt } from './references';
export { prepareRenameAt, renameAt, type RenameTarget, type RenameRefusal } from './rename';
export { hoverAt, type HoverInfo } from './hover';
export { completionsAt, type CompletionEntry, type CompletionKind } from './completion';
export { documentSymbols, type OutlineSymbol, type OutlineKind } from './symbols';
export { deleteComponentEdit } from '../checks/unused';
