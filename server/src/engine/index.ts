/**
 * The Contract Lens engine: a plain library with no knowledge of LSP or VS Code. The language
 * server, the CLI and the tests all enter through here.
 */
export * from "./engine";
export * from './findings';
export * from './host';
export * from './text';
export * from './codes';
export * from './paths';
export { nodeHost, nodeFileSystem, readRegularFileAsync } from './nodeHost';
export type { ProjectConfig } from './config/config';
export { configFileName } from './config/config';
export type { Operation, OperationIndex } from './spec/operations';
export type { ParsedDocument } from './parse/document';
export { parseText } from './parse/document';
export { nearestConfig, discoverSpecs, discoverConfigs } from './project';
