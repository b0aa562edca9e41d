/**
 * The text of a starter contract-lens.yaml from a detection: every section present, filled in
 * where something was found and commented out (with an example) where not, each with a comment
 * saying what it is for and what it was detected from.
 */
import type { Detection } from './detect';

/** A YAML scalar: plain when that reads back as the same string, else JSON-quoted (valid YAML). */
export function yamlScalar(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  const plain =
    /^[A-Za-z0-9_./][A-Za-z0-9_./@-]*$/.test(value) &&
    !/^(true|false|yes|no|on|off|null|y|n)$/i.test(value) &&
    !/^[-+]?(\d[\d_]*)?(\.\d*)?([eE][-+]?\d+)?$/.test(value);
  return plain ? value : JSON.stringify(value);
}

/** A line with a trailing comment, the comments of a section lined up. */
function note(line: string, comment: string): string {
  return `${line.padEnd(35)} # ${comment}`;
}

function list(values: string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
}

export const configurationReference = 'https://github.com/contract-lens/contract-lens#configuration-contract-lens-yaml';

/** Renders the starter configuration; `loadConfig` reads it back with no finding (tested). */
export function renderConfiguration(d: Detection): string {
  const out: string[] = [
    '# Contract Lens project configuration, written by "Contract Lens: Create Configuration".',
    `# Every key is described in ${configurationReference}`,
    '# Paths and globs are relative to this folder and may not leave it.',
    '',
  ];

  out.push('# The OpenAPI document(s) of this project; files they $ref are followed automatically.');
  if (d.specs.length === 1) out.push(`spec: ${yamlScalar(d.specs[0])}`);
  else if (d.specs.length > 1) out.push('spec:', ...d.specs.map((s) => `  - ${yamlScalar(s)}`));
  else out.push('# No OpenAPI document was found in this folder: name yours here.', '# spec: openapi.yaml');
  out.push('');

  out.push('# The server that implements the spec: its route registrations are compared with the operations.');
  if (d.server) {
    out.push(
      `# Detected: ${d.server.framework} (${d.server.evidence}).`,
      'server:',
      `  framework: ${d.server.framework}`,
      `  sources: ${list(d.server.sources)}`,
      note('  # exclude: []', 'globs of files to leave out'),
      note('  # prefix: /v1', 'a prefix the server adds outside the code (a proxy, a global prefix)'),
      note(`  # tsconfig: ${yamlScalar(d.server.tsconfig ?? 'tsconfig.json')}`, 'for its `paths` aliases between server files'),
    );
  } else {
    out.push(
      '# None was detected (fastify, express, koa, hono, nestjs, fastapi or flask). For example:',
      '# server:',
      '#   framework: fastify',
      '#   sources: ["src/**/*.ts"]',
    );
  }
  out.push('');

  out.push('# SDKs and apps whose HTTP calls must match the spec.');
  if (d.clients.length) {
    out.push('clients:');
    for (const c of d.clients) {
      out.push(`  # Detected: ${c.evidence}.`, `  - name: ${yamlScalar(c.name)}`, `    language: ${c.language}`, `    sources: ${list(c.sources)}`, '    callSite:', `      kind: ${c.callSite.kind}`);
      if (c.callSite.function) out.push(`      function: ${yamlScalar(c.callSite.function)}`);
      if (c.callSite.keyArgument !== undefined) out.push(note(`      keyArgument: ${c.callSite.keyArgument}`, "position of the SDK's operation key"));
      if (c.callSite.methodArgument !== undefined) out.push(`      methodArgument: ${c.callSite.methodArgument}`);
      if (c.callSite.pathArgument !== undefined) out.push(`      pathArgument: ${c.callSite.pathArgument}`);
      if (c.callSite.basePath) out.push(note(`      basePath: ${yamlScalar(c.callSite.basePath)}`, "the SDK's base URL ends with it"));
      else out.push(note('      # basePath: /api', 'a prefix the SDK puts before every path'));
    }
  } else {
    out.push(
      '# None was detected (a Python package calling the API with httpx or requests). For example:',
      '# clients:',
      '#   - name: python-sdk',
      '#     language: python',
      '#     sources: ["sdk/**/*.py"]',
      '#     callSite: { kind: httpx }',
    );
  }
  out.push('');

  out.push('# Typed coverage: which operations the SDK handles with typed models, which stay raw.');
  if (d.coverage) {
    out.push(`# Detected: ${d.coverage.evidence}.`, 'coverage:', `  source: ${d.coverage.source}`, `  file: ${yamlScalar(d.coverage.file)}`, note('  mode: typed-only', 'typed-only | off | strict'));
  } else {
    out.push(
      '# No declarations were found: list them in contract-lens.coverage.yaml (typed: [...], raw: [...]), then:',
      '# coverage:',
      '#   source: yaml',
      '#   file: contract-lens.coverage.yaml',
      '#   mode: typed-only',
    );
  }
  out.push('');

  out.push('# Models generated from the spec; Contract Lens reports when they fall behind it.');
  if (d.generate.length) {
    out.push(`# Detected: ${d.generate.map((g) => g.evidence).join('; ')}.`, 'generate:');
    for (const g of d.generate) out.push(`  - target: ${g.target}`, `    output: ${yamlScalar(g.output)}`);
  } else {
    out.push('# generate:', note('#   - target: pydantic-v2', 'pydantic-v2 | pydantic-v1 | dataclasses | typeddict | python-facade | typescript-client'), '#     output: sdk/models');
  }
  out.push('');

  out.push(
    '# Schema quality is checked by Spectral with built-in rules; a .spectral.yaml (or .js) beside the spec is found by default.',
    '# quality:',
    note('#   spectralOas: true', "also run Spectral's spectral:oas ruleset"),
    note('#   ruleset: .spectral.yaml', 'or false: no project ruleset'),
    '',
    '# Severity overrides and ignored findings (by code, "METHOD /path", or an object).',
    '# rules:',
    '#   severity:',
    '#     spec.missing-operation-id: error',
    '#   ignore:',
    '#     - "GET /health"',
    '',
  );
  return out.join('\n');
}
