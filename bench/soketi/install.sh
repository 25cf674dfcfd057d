#!/usr/bin/env bash
# Installs Soketi 1.6.1 outside the repository, for `SOKETI_BIN=<dir>/soketi-run bench/run.sh fanout-pusher`.
# Usage: bench/soketi/install.sh <dir>   (prints the launcher's path)
#
# Why the detour: @soketi/soketi pins uWebSockets.js to a git repository, which is unreachable here, so npm's
# `overrides` points it at a registry build of the same library (@btc-vision/uwebsockets.js 20.57.0, the
# uWebSockets.js v20 API that Soketi 1.6 uses). That build links three C23 functions from glibc 2.38
# (__isoc23_sscanf/strtol/strtoul); Debian 12 has 2.36. The launcher preloads a shim that maps them onto the
# pre-C23 functions (identical except for "0b" prefixes), and weaken-glibc-238.py marks the GLIBC_2.38 version
# need weak so that the loader accepts the module. Nothing of Soketi's own code changes.
set -euo pipefail
dir=${1:?usage: install.sh <dir>}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir" && cd "$dir"
cat > package.json <<'JSON'
{
  "name": "soketi-bench",
  "private": true,
  "dependencies": { "@soketi/soketi": "1.6.1" },
  "overrides": { "uWebSockets.js": "npm:@btc-vision/uwebsockets.js@20.57.0" }
}
JSON
npm install --no-audit --no-fund --loglevel=error >&2
abi=$(node -p 'process.versions.modules')
module=node_modules/uWebSockets.js/uws_linux_x64_$abi.node
[ -f "$module.orig" ] || cp "$module" "$module.orig"
cp "$module.orig" "$module"
python3 "$here/weaken-glibc-238.py" "$module" >&2
gcc -shared -fPIC -O2 -o isoc23-shim.so "$here/isoc23-shim.c"
cat > soketi-run <<SH
#!/bin/sh
# Soketi with the glibc 2.38 shim (see bench/soketi/install.sh); exec keeps the PID the benchmark measures.
LD_PRELOAD=$PWD/isoc23-shim.so exec node $PWD/node_modules/@soketi/soketi/bin/server.js "\$@"
SH
chmod +x soketi-run
echo "$PWD/soketi-run"
