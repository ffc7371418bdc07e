// What the lock tests share to plant locks of other processes: this machine's boot id and a process's start time
// (as a lock records them; undefined without /proc), and live processes other than this one (sleeping children),
// each killed when the test file's tests end.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll } from 'vitest';

export const BOOT = existsSync('/proc/sys/kernel/random/boot_id') ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : undefined;

/** A process's start time as /proc/PID/stat gives it (in clock ticks since boot), or undefined without /proc. */
export const startOf = (pid: number): string | undefined => (existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ')[19] : undefined);

const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

/** A child process, killed (SIGKILL) once the test file's tests end. */
export const killedAtEnd = <C extends ChildProcess>(child: C): C => (children.push(child), child);

/** A live process that is not this one (a sleeping child): the holder of a lock planted as another writer's. */
export const liveProcess = (): number => killedAtEnd(spawn('sleep', ['120'])).pid!;
