/**
 * Profiles shipped with ledwatch, validated when this module loads (a broken shipped
 * profile fails every test, not a site). A site adds its own profiles for real devices;
 * these are starting points and references.
 */
import { ModbusError } from './errors.js';
import eastronSdm630 from './profiles/eastron-sdm630.json' with { type: 'json' };
import ledPsuGeneric from './profiles/led-psu-generic.json' with { type: 'json' };
import xyMd02 from './profiles/xy-md02.json' with { type: 'json' };
import type { ModbusProfile } from './schema.js';
import { validateProfile } from './validate.js';

export const SHIPPED_PROFILES: ReadonlyMap<string, ModbusProfile> = new Map(
  [xyMd02, ledPsuGeneric, eastronSdm630].map((json) => {
    const profile = validateProfile(json);
    return [profile.name, profile];
  }),
);

/** A shipped profile by name; throws `unknown-profile` naming the ones there are. */
export function shippedProfile(name: string): ModbusProfile {
  const profile = SHIPPED_PROFILES.get(name);
  if (profile !== undefined) return profile;
  throw new ModbusError(
    'unknown-profile',
    `no shipped Modbus profile is named "${name}"`,
    `use one of: ${[...SHIPPED_PROFILES.keys()].join(', ')}, or give the device a profile file of its own`,
  );
}
