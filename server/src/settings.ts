/**
 * The settings of Contract Lens (`contractLens.*` in VS Code), in one typed table. Everything else
 * derives from it: the `Settings` type, the defaults, the reading and checking of what the client
 * sends, and package.json's `contributes.configuration` (test/unit/settings.test.ts fails when the
 * two differ, so a setting cannot be added in one place only). No VS Code or LSP import: the
 * client, the server and the tests share it.
 */

/** What a finding code can be set to in `contractLens.severity`: a severity, or `off` to hide it. */
export const severityLevels = ['error', 'warning', 'info', 'hint', 'off'] as const;
export type SeverityLevel = (typeof severityLevels)[number];

export const traceLevels = ['off', 'messages', 'verbose'] as const;

/**
 * One entry per setting, keyed by its name under `contractLens.`; each entry is exactly the JSON
 * schema that package.json contributes for it (type, default, allowed values, description).
 */
export const settingsSchema = {
  enable: {
    type: 'boolean',
    default: true,
    scope: 'window',
    description: 'Run Contract Lens checks in this workspace. When off, the server publishes no diagnostics, CodeLens or quick fixes.',
  },
  'codeLens.enable': {
    type: 'boolean',
    default: true,
    scope: 'window',
    description: 'Show CodeLens above spec operations, server routes and SDK calls (implemented at, called by, typed coverage).',
  },
  severity: {
    type: 'object',
    default: {},
    scope: 'window',
    additionalProperties: { type: 'string', enum: severityLevels },
    markdownDescription:
      'Severity per finding code, applied on top of each project\'s `rules.severity` in `contract-lens.yaml` (for example `{ "parity.undocumented-route": "error", "coverage.*": "off" }`). A code may end in `.*` to cover a whole family; an exact code wins over a family. `off` hides the finding in this editor only: the CLI and CI still report it.',
  },
  debounceMs: {
    type: 'number',
    default: 150,
    minimum: 0,
    maximum: 5000,
    scope: 'window',
    description: 'Milliseconds to wait after the last edit before checking again.',
  },
  'trace.server': {
    type: 'string',
    enum: traceLevels,
    default: 'off',
    scope: 'window',
    description: 'Traces the communication between VS Code and the Contract Lens language server in the output channel.',
  },
} as const;

type Schema = typeof settingsSchema;
type ValueOf<S> = S extends { type: 'boolean' }
  ? boolean
  : S extends { type: 'number' }
    ? number
    : S extends { enum: readonly (infer E)[] }
      ? E
      : S extends { additionalProperties: { enum: readonly (infer E)[] } }
        ? Record<string, E>
        : never;

/** The settings as the server uses them: every key present, every value checked. */
export type Settings = { -readonly [K in keyof Schema]: ValueOf<Schema[K]> };
export type SettingKey = keyof Schema;

/** The configuration section in package.json (and in VS Code's settings). */
export const settingsSection = 'contractLens';

export const defaultSettings: Settings = Object.fromEntries(
  Object.entries(settingsSchema).map(([key, s]) => [key, structuredClone(s.default)]),
) as Settings;

/** A key's value in a section as VS Code sends it: nested (`{codeLens: {enable}}`) or flat (`{"codeLens.enable": ...}`). */
function lookup(section: Record<string, unknown>, key: string): unknown {
  if (key in section) return section[key];
  let node: unknown = section;
  for (const part of key.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function valid(schema: Schema[SettingKey], value: unknown): boolean {
  switch (schema.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= schema.minimum && value <= schema.maximum;
    case 'string':
      return (schema.enum as readonly unknown[]).includes(value);
    case 'object':
      return !!value && typeof value === 'object' && !Array.isArray(value);
  }
}

/**
 * The settings in a `contractLens` section sent by a client (initializationOptions or
 * workspace/didChangeConfiguration). A missing or ill-typed value falls back to its default, and
 * severity entries with an unknown level are dropped, so a hand-edited settings.json never breaks
 * the server.
 */
export function readSettings(section: unknown): Settings {
  const out: Settings = structuredClone(defaultSettings);
  if (!section || typeof section !== 'object') return out;
  for (const key of Object.keys(settingsSchema) as SettingKey[]) {
    const value = lookup(section as Record<string, unknown>, key);
    if (value === undefined || !valid(settingsSchema[key], value)) continue;
    if (key === 'severity') {
      out.severity = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).filter((e): e is [string, SeverityLevel] => (severityLevels as readonly unknown[]).includes(e[1])),
      );
    } else {
      (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

/** The JSON schema of each setting as package.json contributes it (`contractLens.` + key). */
export function contributedConfiguration(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settingsSchema).map(([key, s]) => [`${settingsSection}.${key}`, JSON.parse(JSON.stringify(s))]));
}
