// Preloaded (node -r) by bench/memory.ts into each process it measures: prints the process's peak resident
// memory, in bytes, on stderr as it exits.
// NOTE: on Linux, VmHWM: getrusage's ru_maxrss (process.resourceUsage().maxRSS) also counts the pages of the
// parent this process was forked from, before its exec, so a child of a 300 MB bench reported 300 MB.
const { readFileSync } = require('node:fs');

function peakBytes() {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (kb) return Number(kb[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

process.on('exit', () => process.stderr.write(`peak RSS ${peakBytes()}\n`));
