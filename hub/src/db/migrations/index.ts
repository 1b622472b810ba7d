import type { Migration } from 'kysely';
import * as m001 from './001-foundation.js';
import * as m002 from './002-agent-events.js';
import * as m003 from './003-commands-configs.js';
import * as m004 from './004-telemetry.js';
import * as m005 from './005-alarms.js';
import * as m006 from './006-notify.js';
import * as m007 from './007-sla.js';
import * as m008 from './008-tickets.js';
import * as m009 from './009-customer-recurring.js';
import * as m010 from './010-inspections.js';
import * as m011 from './011-releases.js';

/** Every migration, in order. Names sort; never rename or edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '001-foundation': m001,
  '002-agent-events': m002,
  '003-commands-configs': m003,
  '004-telemetry': m004,
  '005-alarms': m005,
  '006-notify': m006,
  '007-sla': m007,
  '008-tickets': m008,
  '009-customer-recurring': m009,
  '010-inspections': m010,
  '011-releases': m011,
};
