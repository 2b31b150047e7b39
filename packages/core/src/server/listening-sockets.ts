import type * as ChildProcess from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { builtin } from '../platform/builtin.js';
import { treeOf } from './process-tree.js';

// macOS's lsof and Windows' netstat only: a Linux lease never loads child_process for it.
const childProcess = builtin<typeof ChildProcess>('node:child_process');

/*
 * The TCP ports a process tree listens on, for `--adopt` (a server that bound port 0). Linux reads
 * /proc: the socket inodes of every member's /proc/<pid>/fd, matched against the LISTEN rows (state
 * 0A) of /proc/<pid>/net/tcp and tcp6 (the tree's own network namespace). macOS asks `lsof`, Windows
 * `netstat -ano`; only Linux is tested (the project's CI machines run Linux).
 */

function linux(root: number): number[] {
  const inodes = new Set<string>();
  for (const { pid } of treeOf(root)) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // Gone, or not ours to read.
    }
    for (const fd of fds) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode) inodes.add(inode);
      } catch {
        // Closed meanwhile.
      }
    }
  }
  const ports = new Set<number>();
  if (inodes.size === 0) return [];
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(`/proc/${root}/net/${table}`, 'utf8');
    } catch {
      continue; // No IPv6, or the process is gone.
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] !== '0A' || !inodes.has(fields[9] ?? '')) continue;
      ports.add(Number.parseInt((fields[1] ?? '').split(':')[1] ?? '', 16));
    }
  }
  return [...ports].filter((port) => port > 0).sort((a, b) => a - b);
}

/** Every pid under `root` (and `root`), from a `pid ppid` listing. */
function descendants(root: number, rows: string): number[] {
  const children = new Map<number, number[]>();
  for (const line of rows.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (!pid || ppid === undefined) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const found = [root];
  for (let i = 0; i < found.length && found.length < 4096; i++)
    found.push(...(children.get(found[i] as number) ?? []));
  return found;
}

function run(file: string, args: string[]): string {
  try {
    return childProcess().execFileSync(file, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    });
  } catch (error) {
    // lsof exits 1 when nothing matches.
    return String((error as { stdout?: string }).stdout ?? '');
  }
}

function mac(root: number): number[] {
  const pids = descendants(root, run('ps', ['-A', '-o', 'pid=,ppid=']));
  const out = run('lsof', ['-nP', '-a', '-iTCP', '-sTCP:LISTEN', '-p', pids.join(','), '-Fn']);
  const ports = out
    .split('\n')
    .filter((line) => line.startsWith('n'))
    .map((line) => Number(/:(\d+)$/.exec(line)?.[1]));
  return [...new Set(ports.filter((port) => port > 0))].sort((a, b) => a - b);
}

function windows(root: number): number[] {
  const rows = run('powershell.exe', [
    '-NoProfile',
    '-Command',
    'Get-CimInstance Win32_Process | ForEach-Object { "$($_.ProcessId) $($_.ParentProcessId)" }',
  ]);
  const pids = new Set(descendants(root, rows).map(String));
  const ports = new Set<number>();
  for (const line of run('netstat', ['-ano', '-p', 'TCP'])
    .split('\n')
    .concat(run('netstat', ['-ano', '-p', 'TCPv6']).split('\n'))) {
    const fields = line.trim().split(/\s+/);
    if (fields[3] !== 'LISTENING' || !pids.has(fields[4] ?? '')) continue;
    ports.add(Number(/:(\d+)$/.exec(fields[1] ?? '')?.[1]));
  }
  return [...ports].filter((port) => port > 0).sort((a, b) => a - b);
}

/** The TCP ports the process `root` and its descendants listen on now, ascending. */
export function listeningPorts(root: number): number[] {
  if (process.platform === 'linux') return linux(root);
  if (process.platform === 'darwin') return mac(root);
  if (process.platform === 'win32') return windows(root);
  return mac(root); // BSDs have lsof too, where installed.
}
