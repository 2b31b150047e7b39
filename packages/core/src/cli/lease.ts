import { PortleaseError } from '../errors.js';
import { leasePorts } from '../lease/allocator.js';
import { RANGE_OPTION } from '../lease/exhaustion.js';
import type { PortLease } from '../lease/lease.js';
import type { LeaseOptions } from '../options/resolve.js';

/** A core error as a CLI user reads it: the range's option is `--range` there. */
export function inCliWords(error: unknown): unknown {
  if (!(error instanceof PortleaseError) || !error.message.includes(RANGE_OPTION)) return error;
  return new PortleaseError(error.code, error.message.replaceAll(RANGE_OPTION, '--range'), {
    details: { ...error.details },
    ...(error.cause === undefined ? {} : { cause: error.cause }),
  });
}

/** `leasePorts` for `run` and `get`: its errors in the CLI's words ({@link inCliWords}). */
export async function leaseForCli(count: number, options: LeaseOptions): Promise<PortLease[]> {
  try {
    return await leasePorts(count, options);
  } catch (error) {
    throw inCliWords(error);
  }
}
