/**
 * Every schema violation of a value, not just the first eight: TypeBox stops at 8 errors
 * by default, and a config or profile report must list all its problems at once.
 */
import type { TSchema } from 'typebox';
import type { Compile } from 'typebox/compile';
import { Settings } from 'typebox/system';

const MAX_SCHEMA_ERRORS = 500;

type Validator = ReturnType<typeof Compile<TSchema>>;

/** The validator's errors with the cap raised for this synchronous call only. */
export function allSchemaErrors(check: Validator, value: unknown): ReturnType<Validator['Errors']> {
  const previous = Settings.Get().maxErrors;
  Settings.Set({ maxErrors: MAX_SCHEMA_ERRORS });
  try {
    return check.Errors(value);
  } finally {
    Settings.Set({ maxErrors: previous });
  }
}
