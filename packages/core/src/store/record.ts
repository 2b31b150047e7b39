import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { hostname } from 'node:os';
import type * as WorkerThreads from 'node:worker_threads';
import { fdExhaustion } from '../errors.js';
import { builtin } from '../platform/builtin.js';
import { secureRandomBytes } from '../platform/random.js';
import { UID } from './lock-dir.js';

/** An owner id: 24 hex digits, the first part of every token (realm/liveness.ts proves it alive). */
export const OWNER_ID_PATTERN = /^[0-9a-f]{24}$/;

/**
 * What a lease record holds. The file is named by the lease's token, `<ownerId>-<random>`, so liveness
 * is decided from the name alone: a corrupt, truncated or future-format body can never make a live
 * owner look dead.
 */
export interface LeaseRecord {
  /** Format version. */
  v: 1;
  /** Label given as the `owner` option. */
  owner: string;
  ownerId: string;
  token: string;
  pid: number;
  threadId: number;
  hostname: string;
  uid: number | null;
  /** Wall-clock creation time in ms since the epoch (display only; never used to decide staleness). */
  created: number;
  /** The owning process's command line, shortened (display only). */
  command: string;
  /** The sticky name the lease was taken under, if any (display only; added within format 1). */
  sticky?: string;
  /** The name the lease was taken under (`name`, `sticky`, `--name`), if any: findLease finds it by this. */
  name?: string;
  /** The project the name belongs to (as sticky keys: the nearest package.json, …); set with `name`. */
  project?: string;
}

/** Records above this size are not read (a record is a few hundred bytes). */
const MAX_RECORD_BYTES = 16 * 1024;
const TOKEN_PATTERN = /^([0-9a-f]{24})-[0-9a-f]{16}$/;

/** The worker thread id a record names (display only): `node:worker_threads` loads at the first record. */
const workerThreads = builtin<typeof WorkerThreads>('node:worker_threads');

/** Random bytes drawn 8 at a time from a pool: one read of the CSPRNG per 512 tokens, not per token. */
let pool: Buffer = Buffer.alloc(0);
let poolOffset = 0;

export function newToken(ownerId: string): string {
  if (poolOffset + 8 > pool.length) {
    pool = secureRandomBytes(4096);
    poolOffset = 0;
  }
  poolOffset += 8;
  return `${ownerId}-${pool.toString('hex', poolOffset - 8, poolOffset)}`;
}

/** The owner id encoded in a record's file name, or undefined for a name portlease did not write. */
export function ownerIdOfToken(name: string): string | undefined {
  const id = TOKEN_PATTERN.exec(name)?.[1];
  return id && OWNER_ID_PATTERN.test(id) ? id : undefined;
}

function commandLine(): string {
  const text = process.argv
    .slice(1)
    .map((arg) => arg.replace(/^.*[\\/](node_modules[\\/])/, '$1'))
    .join(' ');
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

let processCommand: string | undefined;
let hostName: string | undefined;

/** A lease's name and the project it belongs to (lease/names.ts), recorded so others can find it. */
export interface RecordName {
  name: string;
  project: string;
}

export function createRecord(
  owner: string,
  ownerId: string,
  token: string,
  sticky?: string,
  named?: RecordName,
): LeaseRecord {
  processCommand ??= commandLine();
  hostName ??= hostname();
  const record: LeaseRecord = {
    v: 1,
    owner,
    ownerId,
    token,
    pid: process.pid,
    threadId: workerThreads().threadId,
    hostname: hostName,
    uid: UID,
    created: Date.now(),
    command: processCommand,
  };
  if (sticky !== undefined) record.sticky = sticky;
  if (named !== undefined) {
    record.name = named.name;
    record.project = named.project;
  }
  return record;
}

/** Why a record could not be read, for `portlease list`. */
export type RecordProblem = 'missing' | 'oversized' | 'corrupt' | 'unreadable';

/**
 * Reads a record without following symlinks, without blocking, and without reading more than
 * {@link MAX_RECORD_BYTES}.
 * Throws only `TOO_MANY_OPEN_FILES`: a bad record is reported, and its owner is still judged by its
 * file name.
 */
export function readRecord(path: string): LeaseRecord | RecordProblem {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO planted in a record's place must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    // Out of descriptors says nothing about the record: report it, never a row with a problem.
    const fds = fdExhaustion(error, `read lease record ${path}`);
    if (fds) throw fds;
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return 'unreadable';
    if (stats.size > MAX_RECORD_BYTES) return 'oversized';
    const buffer = Buffer.alloc(stats.size);
    const length = readSync(fd, buffer, 0, stats.size, 0);
    return parseRecord(buffer.subarray(0, length).toString('utf8'));
  } catch {
    return 'unreadable';
  } finally {
    closeSync(fd);
  }
}

/** Parses a record body; anything but a well-formed object of a known shape is `'corrupt'`. */
function parseRecord(text: string): LeaseRecord | 'corrupt' {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'corrupt';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'corrupt';
  const r = value as Record<string, unknown>;
  const ok =
    typeof r.v === 'number' &&
    typeof r.owner === 'string' &&
    typeof r.ownerId === 'string' &&
    typeof r.token === 'string' &&
    typeof r.pid === 'number' &&
    typeof r.created === 'number';
  if (!ok) return 'corrupt';
  const record: LeaseRecord = {
    v: 1,
    owner: r.owner as string,
    ownerId: r.ownerId as string,
    token: r.token as string,
    pid: r.pid as number,
    threadId: typeof r.threadId === 'number' ? r.threadId : 0,
    hostname: typeof r.hostname === 'string' ? r.hostname : '',
    uid: typeof r.uid === 'number' ? r.uid : null,
    created: r.created as number,
    command: typeof r.command === 'string' ? r.command : '',
  };
  if (typeof r.sticky === 'string') record.sticky = r.sticky;
  if (typeof r.name === 'string' && typeof r.project === 'string') {
    record.name = r.name;
    record.project = r.project;
  }
  return record;
}
