#!/usr/bin/env bash
# End-to-end tests of Contract Lens in a real VS Code (`npm run test:e2e`):
#   1. setup.sh     installs Node 24, Chromium, code-server and playwright-core into .cache/e2e
#                   (each step skipped when already there);
#   2. npm run package  builds dist/contract-lens.vsix (skip with CONTRACT_LENS_E2E_SKIP_PACKAGE=1);
#   3. build.mjs    type-checks and compiles test/e2e/suite and packages the test runner extension
#                   into out/e2e; then the grammar unit test (bundled there) runs with VS Code's own
#                   YAML/JSON grammars;
#   4. harness.mjs  installs both .vsix in a throwaway VS Code server, opens a temp copy of
#                   examples/sessions-api in headless Chromium, runs the suite in the extension host,
#                   prints the results ("N passed, M failed" last) and writes docs/screenshot.png.
# Exit status is non-zero on any failure. See harness.mjs for the CONTRACT_LENS_E2E_* settings.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"

# A step that fails before the harness runs still ends with the closing line CI reads.
step() {
  local what="$1"
  shift
  if ! "$@"; then
    echo "[e2e] $what failed" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
}

start=$SECONDS
step "installing the e2e tools (scripts/e2e/setup.sh)" bash scripts/e2e/setup.sh
echo "[e2e] tools ready in $((SECONDS - start))s" >&2
if [[ "${CONTRACT_LENS_E2E_SKIP_PACKAGE:-}" != 1 ]]; then
  step "npm run package" npm run --silent package
fi
step "building the e2e suite (scripts/e2e/build.mjs)" node scripts/e2e/build.mjs
# The grammar unit test once more, now that VS Code's own YAML and JSON grammars are on the machine.
export CONTRACT_LENS_VSCODE_EXTENSIONS="${CONTRACT_LENS_E2E_CACHE:-$REPO/.cache/e2e}/code-server/node_modules/code-server/lib/vscode/extensions"
step "the grammar test against VS Code's grammars" node --test --test-reporter=dot out/e2e/grammar.test.js
exec node scripts/e2e/harness.mjs
