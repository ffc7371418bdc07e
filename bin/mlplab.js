#!/usr/bin/env node
// The installed command: a thin launcher for the compiled CLI (built by `npm run build`).
import { run } from '../dist/cli.js';

process.exitCode = await run();
