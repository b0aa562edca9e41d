// A Spectral ruleset with JavaScript in it (ESM, as Spectral's bundler loads it). The e2e suite
// opens this folder in Restricted Mode (an untrusted workspace), where Contract Lens must never
// load it. Loading it, or running its function, appends to the file named by
// CONTRACT_LENS_E2E_MARKER (the harness points it at spectral-ran.marker in the workspace copy;
// the language server inherits the variable), and the test asserts that file never appears.
import { appendFileSync } from 'fs';

const marker = process.env.CONTRACT_LENS_E2E_MARKER;
if (marker) appendFileSync(marker, `loaded by pid ${process.pid}\n`);

function mark() {
  if (marker) appendFileSync(marker, 'function ran\n');
  return [];
}

export default {
  rules: {
    'e2e-marker': { description: 'writes a marker file', given: '$', then: { function: mark } },
  },
};
