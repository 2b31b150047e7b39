import { readFileSync } from 'node:fs';

/**
 * Whether `pid` is a running process. A process of another user (EPERM) is alive; a zombie waiting
 * for its parent to reap it is gone (it answers `kill(pid, 0)` but holds nothing and will never run
 * again: a SIGKILLed child stays one until its parent waits).
 */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error.code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return process.platform !== 'linux';
  }
}
