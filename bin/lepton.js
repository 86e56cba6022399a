#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (prepare) or `npm run build`.
const path = require('node:path');
const fs = require('node:fs');
const main = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(main)) {
  console.error('lepton: dist/ is missing. Run `npm run build` (or `npm install`) in ' + path.join(__dirname, '..'));
  process.exit(2);
}
require(main).main(process.argv.slice(2)).then(
  (code) => process.exit(code ?? 0),
  (err) => {
    console.error('lepton: ' + (err && err.message ? err.message : String(err)));
    if (process.env.LEPTON_DEBUG) console.error(err);
    process.exit(1);
  },
);
