// A writer killed outright leaves its staging folder `.NAME.partial-PID-TIME/` (with its last checkpoint); the next
// run of that folder may be a process with the same PID (a container's PID 1 each time it starts, PIDs reused).
// A staging folder named with this process's PID but made before this process started is a dead writer's: the
// next run removes it (putting back the runs it holds) and --resume continues from its checkpoint, as for any
// other dead PID (files/lock.ts writerGone). One made after this process started is left alone.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment, loadPlan, runExperiment, runPlans } from '../../src/index.js';
import { recover } from '../../src/files/recover.js';
import { tempDirs } from '../helpers/cli.js';
import { checkpointedSpirals } from '../helpers/experiments.js';

const tempDir = tempDirs('mlplab-pid-reuse');

/** A small experiment with a checkpoint every epoch. */
const experiment = (dir: string): string => checkpointedSpirals(dir, 'pr');

/** A staging folder as a killed writer with this process's PID left it, before this process started. */
const deadOwnPid = (dir: string, name: string) => join(dir, `.${name}.partial-${process.pid}-${Math.floor(Date.now() - process.uptime() * 1000 - 60_000)}`);

describe("a killed writer's staging folder named with this process's PID", () => {
  it('made before this process started: removed by the next run, the run it held put back', async () => {
    const dir = tempDir();
    const stale = deadOwnPid(dir, 'pr');
    mkdirSync(join(stale, 'seed=2'), { recursive: true });
    writeFileSync(join(stale, 'loss.csv'), 'epoch\n');
    writeFileSync(join(stale, 'seed=2', 'run.json'), '{}\n');
    const r = await runExperiment(loadExperiment(experiment(dir)), { outDir: join(dir, 'pr') });
    expect(r.run.status).toBe('completed');
    expect(readdirSync(dir).sort()).toEqual(['pr', 'pr.yaml']);
    expect(readFileSync(join(dir, 'pr', 'seed=2', 'run.json'), 'utf8')).toBe('{}\n');
  });

  it('made since this process started (its own, under way): left alone', () => {
    const dir = tempDir();
    const mine = join(dir, `.pr.partial-${process.pid}-${Date.now()}`);
    mkdirSync(mine);
    recover(join(dir, 'pr'));
    expect(existsSync(mine)).toBe(true);
  });

  it('--resume continues from its checkpoint and writes the files of the run never stopped', async () => {
    const dir = tempDir();
    const file = experiment(dir);
    const whole = join(dir, 'whole');
    expect((await runPlans([loadPlan(file)], { out: whole })).map((f) => 'run' in f && f.run.status)).toEqual(['completed']);
    const out = join(dir, 'out');
    let epoch = 0;
    const interrupt = () => (epoch >= 3 ? 'SIGINT' : undefined);
    await runPlans([loadPlan(file)], { out, interrupt, onEpoch: () => (e) => void (epoch = e) });
    // What a writer killed after its checkpoint leaves: its staging folder with the loss log and checkpoint.json.
    const stale = deadOwnPid(out, 'pr');
    renameSync(join(out, 'pr.interrupted'), stale);
    let resumed = 0;
    const finished = await runPlans([loadPlan(file)], { out, resume: true, onEpoch: () => () => void resumed++ });
    expect(finished.map((f) => ('error' in f ? f.error : f.run.status))).toEqual(['completed']);
    expect(resumed).toBeLessThan(8); // continued, not started again
    for (const f of ['loss.csv', 'model.json']) expect(readFileSync(join(out, 'pr', f)).equals(readFileSync(join(whole, 'pr', f))), f).toBe(true);
    expect(readdirSync(out)).toEqual(['pr']);
  });
});
