#!/usr/bin/env node
// The installed command: starts the compiled CLI (built by `npm run build`) from its one-file bundle and code
// cache where the build made them (src/start.ts), else from dist/cli.js.
import { startCli } from '../dist/start.js';

process.exitCode = await (await startCli()).cli.run();
