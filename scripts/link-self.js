#!/usr/bin/env node
// Makes `import … from 'lepton'` resolve inside this repository for tools that ignore package.json
// `exports`: writes node_modules/lepton/, a two-line shim that re-exports the compiled dist/src/index.
//
// Why: Node (self-reference through `exports`) and tsc/tsx (tsconfig `paths`) already resolve 'lepton'
// here, but the tslab notebook kernel type-checks each cell with its own TypeScript 5.0 and
// moduleResolution Node10, which looks only in node_modules/ folders and ignores `exports`. A plain
// folder (not a symlink to the repository) keeps recursive tools from walking into a cycle.
// Run by `npm install`/`npm ci` (the `prepare` script) and by scripts/setup-jupyter.sh; idempotent.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dir = path.join(root, 'node_modules', 'lepton');
const MARK = 'lepton-self-shim';
const pkgFile = path.join(dir, 'package.json');

if (fs.existsSync(pkgFile)) {
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  if (pkg.description !== MARK) {
    console.error(`link-self: ${dir} holds another package (not written by this script); left alone`);
    process.exit(0);
  }
}
fs.mkdirSync(dir, { recursive: true });
const files = {
  'package.json':
    JSON.stringify(
      { name: 'lepton', private: true, description: MARK, main: 'index.js', types: 'index.d.ts' },
      null,
      2,
    ) + '\n',
  'index.js': "'use strict';\nmodule.exports = require('../../dist/src/index.js');\n",
  'index.d.ts': "export * from '../../dist/src/index';\n",
  // The `lepton/notebook` subpath (Node10 resolution finds node_modules/lepton/notebook.d.ts).
  'notebook.js': "'use strict';\nmodule.exports = require('../../dist/src/notebook/index.js');\n",
  'notebook.d.ts': "export * from '../../dist/src/notebook/index';\n",
};
for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
