import { NovaStarError, type NovaStarErrorCode } from '../errors.js';

/** The code of the NovaStarError `fn` throws; undefined when it returns. Other errors propagate. */
export function codeOf(fn: () => unknown): NovaStarErrorCode | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof NovaStarError) return err.code;
    throw err;
  }
  return undefined;
}
