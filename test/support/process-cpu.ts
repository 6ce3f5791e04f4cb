/**
 * The CPU time a process has run, every thread included (libuv's pool, where argon2 runs), read from /proc. Unlike an
 * answer's wall time it does not grow while the process waits for a core on a busy machine: two requests that do the
 * same work cost about the same CPU however loaded the machine is, which is what the timing-equality tests compare.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function processCpuMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      // schedstat's first field: nanoseconds this thread has spent on a CPU
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended between the listing and the read; its time is no longer counted by either reading
    }
  }
  return ns / 1e6;
}
