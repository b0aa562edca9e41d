import type { Severity } from './findings';

export interface CodeInfo {
  severity: Severity;
  /** One line, used as the SARIF rule's short description and in the README. */
  summary: string;
}

/**
 * Every finding code the engine can produce, with its default severity. Codes are stable: the
 * README documents each one, configs override severities by code, quick fixes key off them.
 */
export const catalog = {
  'syntax.error': { severity: 'error', summary: 'The file is not valid YAML or JSON.' },
  'syntax.duplicate-key': { severity: 'error', summary: 'A mapping has the same key twice; only one of the values is used.' },
  'file.too-large': { severity: 'error', summary: 'The file is larger than the configured maximum and was not parsed.' },
  'file.unreadable': { severity: 'error', summary: 'A file the project needs could not be read.' },
  'spec.unsupported-version': { severity: 'error', summary: 'The document is Swagger 2.0 or an OpenAPI version Contract Lens does not check.' },
  'spec.not-openapi': { severity: 'error', summary: 'A configured spec file has no `openapi` version at its root.' },
  'spec.missing-operation-id': { severity: 'warning', summary: 'An operation has no operationId.' },
  'spec.duplicate-operation-id': { severity: 'error', summary: 'Two operations share an operationId.' },
  'spec.undeclared-path-parameter': { severity: 'error', summary: 'A `{name}` in the path template has no matching `in: path` parameter.' },
  'spec.unused-path-parameter': { severity: 'error', summary: 'An `in: path` parameter does not appear in the path template.' },
  'spec.missing-responses': { severity: 'error', summary: 'An operation documents no response status at all.' },
  'spec.invalid-status-code': { severity: 'error', summary: 'A response key is not an HTTP status code, a range like `2XX`, or `default`.' },
  'spec.duplicate-path': { severity: 'error', summary: 'Two path templates differ only in parameter names, so they describe the same route.' },
  'spec.unused-component': { severity: 'hint', summary: 'A component that no `$ref` (and no discriminator mapping) of the project uses.' },
  'ref.unresolved': { severity: 'error', summary: 'A `$ref` points at a file or a JSON pointer that does not exist.' },
  'ref.remote-not-fetched': { severity: 'warning', summary: 'A `$ref` to a remote URL; Contract Lens never fetches remote documents.' },
  'ref.outside-project': { severity: 'error', summary: 'A `$ref` leaves the project folder; it is refused.' },
  'ref.cycle': { severity: 'error', summary: 'A chain of `$ref`s leads back to itself without any schema in between.' },
  'ref.invalid': { severity: 'error', summary: 'A `$ref` value is not a string or not a valid reference.' },
  'parity.unimplemented-operation': { severity: 'error', summary: 'A spec operation that the server does not register.' },
  'parity.undocumented-route': { severity: 'warning', summary: 'A route the server registers that the spec does not document.' },
  'parity.method-mismatch': { severity: 'error', summary: 'The server registers a path of the spec with a different HTTP method.' },
  'parity.prefix-mismatch': { severity: 'warning', summary: 'Server routes and spec paths differ only by a constant prefix.' },
  'parity.sdk-unknown-route': { severity: 'error', summary: 'An SDK call to a method and path the spec does not document.' },
  'parity.param-name-mismatch': { severity: 'hint', summary: 'A route matches a spec path by position but names its parameters differently.' },
  'parity.unverifiable-route': { severity: 'info', summary: 'A route computed at run time or registered under a condition; it cannot be fully compared.' },
  'coverage.undeclared-operation': { severity: 'error', summary: 'A spec operation is declared neither typed nor raw.' },
  'coverage.stale-declaration': { severity: 'error', summary: 'A typed, raw or strict declaration names an operationId the spec does not have.' },
  'coverage.typed-and-raw': { severity: 'error', summary: 'An operation is declared both typed and raw.' },
  'coverage.duplicate-declaration': { severity: 'error', summary: 'An operationId or SDK operation key is declared twice.' },
  'coverage.unknown-model': { severity: 'error', summary: 'A typed declaration names a model that the generated models do not define (or the module does not import).' },
  'coverage.uncovered-response': { severity: 'warning', summary: 'A typed operation has no response model for a 2XX JSON response the spec documents.' },
  'coverage.request-mismatch': { severity: 'warning', summary: 'The request model of a typed operation differs from the request body the spec documents.' },
  'coverage.strict-not-typed': { severity: 'error', summary: 'An operation validated in strict mode is not declared typed.' },
  'coverage.all-set-mismatch': { severity: 'error', summary: 'The hand-kept set of all operationIds differs from the operations of the spec.' },
  'coverage.invalid-declaration': { severity: 'error', summary: 'The declarations file or module cannot be read as coverage declarations.' },
  'coverage.missing-from-facade': { severity: 'warning', summary: 'A typed operation has no method in the generated typed facade (python-facade): the facade is older than the declaration.' },
  'config.unknown-key': { severity: 'error', summary: 'A key in `contract-lens.yaml` that the configuration does not define.' },
  'config.invalid-value': { severity: 'error', summary: 'A value in `contract-lens.yaml` has the wrong type or is not one of the allowed values.' },
  'config.path-not-found': { severity: 'error', summary: 'A file named in `contract-lens.yaml` does not exist.' },
  'config.no-match': { severity: 'warning', summary: 'A source glob in `contract-lens.yaml` matches no file.' },
  'config.path-outside-project': { severity: 'error', summary: 'A path in `contract-lens.yaml` leads outside the project folder; it is refused.' },
  'config.no-spec': { severity: 'warning', summary: 'The project names no spec and none was found in its folder.' },
  'generate.stale-models': { severity: 'warning', summary: 'Generated models were made from a different version of the spec; regenerate them.' },
  'generate.edited-output': { severity: 'warning', summary: 'A generated file was edited by hand; regenerating would lose the edits.' },
  'generate.lossy-mapping': { severity: 'info', summary: 'Part of a schema cannot be expressed by the generated models (it became `Any` or a constraint is not validated).' },
  'generate.output-not-generated': { severity: 'error', summary: 'A file in a generated package was not written by Contract Lens, so generation will not overwrite it.' },
  'generate.missing-output': { severity: 'warning', summary: 'A configured generation target has not been generated yet.' },
  'quality.operation-id-not-identifier': { severity: 'warning', summary: 'An operationId cannot be used as an identifier (letters, digits and `_`, not starting with a digit), so generated SDK methods cannot be named after it.' },
  'quality.missing-request-schema': { severity: 'error', summary: 'A typed operation takes a request body that has no JSON schema.' },
  'quality.missing-response-schema': { severity: 'error', summary: 'A response status a typed operation must describe has no JSON schema (or is not documented).' },
  'quality.loose-schema': { severity: 'error', summary: 'The request or response schema of a typed operation accepts anything: empty, `{}` items, or an object with no properties and open additionalProperties.' },
  'quality.required-not-in-properties': { severity: 'error', summary: 'A schema reached from a typed operation requires a property it does not define.' },
  'quality.empty-enum': { severity: 'error', summary: 'A schema reached from a typed operation has an empty `enum`, so no value is valid.' },
  'quality.discriminator-property': { severity: 'error', summary: "A variant of a discriminated union does not define the discriminator's property." },
  'quality.discriminator-mapping': { severity: 'error', summary: 'A discriminator mapping names a schema that does not exist.' },
  'quality.ref-siblings': { severity: 'warning', summary: 'In OpenAPI 3.0, keys next to a `$ref` are ignored.' },
  'quality.spectral-rule': { severity: 'warning', summary: "A rule of a Spectral ruleset (`spectral:oas` or the project's own) reported a problem." },
  'quality.ruleset-skipped': { severity: 'info', summary: 'The Spectral ruleset was not run: it needs JavaScript in an untrusted workspace, or a remote or out-of-project file.' },
  'quality.ruleset-error': { severity: 'error', summary: 'The Spectral ruleset could not be loaded.' },
} as const satisfies Record<string, CodeInfo>;

export type FindingCode = keyof typeof catalog;

export function isFindingCode(code: string): code is FindingCode {
  return Object.prototype.hasOwnProperty.call(catalog, code);
}
