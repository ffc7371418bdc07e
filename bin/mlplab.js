#!/usr/bin/env node
// The installed command: starts the compiled CLI (built by `npm run build`) through dist/start.cjs, from its
// one-file bundle and V8 code cache (src/start.ts). CommonJS (bin/package.json), as what it loads is: Node then
// never starts its ES module loader, ≈4 ms of a small run.
'use strict';

require('../dist/start.cjs')
  .startCli()
  .then(({ cli }) => cli.run())
  .then((code) => (process.exitCode = code));
