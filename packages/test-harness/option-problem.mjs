// What an option check says after the option's path: the part every surface must say alike.

/**
 * Runs `check(path)` and returns its INVALID_OPTIONS message after `[INVALID_OPTIONS] <path> `;
 * throws if the check passed or threw something else, so a test built on it cannot pass vacuously.
 */
export function optionProblem(check, path = 'X') {
  try {
    check(path);
  } catch (error) {
    const prefix = `[INVALID_OPTIONS] ${path} `;
    if (error?.code === 'INVALID_OPTIONS' && error.message.startsWith(prefix))
      return error.message.slice(prefix.length);
    throw error;
  }
  throw new Error('the option check passed');
}
