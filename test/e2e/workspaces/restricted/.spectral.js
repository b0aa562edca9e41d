// A Spectral ruleset with JavaScript in it. The e2e suite opens this folder in Restricted Mode
// (an untrusted workspace), where Contract Lens must never load it: loading it, or running its
// function, writes spectral-ran.marker beside it, and the test asserts that file never appears.
'use strict';
const fs = require('fs');
const path = require('path');

const marker = path.join(__dirname, 'spectral-ran.marker');
fs.writeFileSync(marker, `loaded by pid ${process.pid}\n`);

function mark() {
  fs.appendFileSync(marker, 'function ran\n');
  return [];
}

module.exports = {
  rules: {
    'e2e-marker': { description: 'writes a marker file', given: '$', then: { function: mark } },
  },
};
