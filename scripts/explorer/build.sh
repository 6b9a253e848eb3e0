#!/usr/bin/env bash
# Copy the explorer's vendored scripts from npm (package-lock.json pins them) into the
# package, with their licences: kg serve loads nothing from a CDN. Run after changing
# package.json; tests/test_serve.py checks the shipped files equal these.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
out=../../kg/serve/static/vendor
mkdir -p "$out"
cp node_modules/cytoscape/dist/cytoscape.min.js "$out/cytoscape.min.js"
cp node_modules/cytoscape/LICENSE "$out/cytoscape.LICENSE"
echo "copied cytoscape $(node -p 'require("./node_modules/cytoscape/package.json").version') into $out"
