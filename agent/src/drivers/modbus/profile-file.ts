/**
 * A site's own Modbus profile from a YAML or JSON file, validated like the shipped ones.
 * Every problem is an `invalid-profile` error whose message names the file and lists each
 * problem by its JSON pointer (`/registers/2/scale: …`), so the fix is one edit away.
 */
import { readFileSync } from 'node:fs';
import { modbus } from '@ledwatch/protocols';
import { parse as parseYaml } from 'yaml';

const HINT = 'fix each listed path in the profile file (protocols/src/modbus/schema.ts describes every key)';

export function loadProfileFile(file: string): modbus.ModbusProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw fileError(file, `cannot read it: ${(err as Error).message}`, 'check options.profileFile; a relative path starts at the agent working directory');
  }
  let value: unknown;
  try {
    // YAML 1.2 reads JSON too; JSON.parse gives the better message for a .json file.
    value = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw fileError(file, `not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(err as Error).message}`, 'correct the syntax at the place named');
  }
  try {
    return modbus.validateProfile(value);
  } catch (err) {
    if (!(err instanceof modbus.ModbusError)) throw err;
    const lines = err.details.map((d) => `  - ${d}`).join('\n');
    throw new modbus.ModbusError('invalid-profile', `Modbus profile file ${file} is invalid:\n${lines}`, HINT, { details: err.details });
  }
}

function fileError(file: string, problem: string, hint: string): modbus.ModbusError {
  return new modbus.ModbusError('invalid-profile', `Modbus profile file ${file}: ${problem}`, hint, { details: [`(file): ${problem}`] });
}
