/**
 * "Create Configuration": detection of a folder's spec, server, SDK, declarations and generated
 * models, and the starter contract-lens.yaml that says so. Reads only; the doors write the file.
 */
export { detectProject, pythonRequirementNames, type Detection, type InitEnvironment } from './detect';
export { renderConfiguration, yamlScalar } from './render';
