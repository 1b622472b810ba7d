import { describeDriverConformance } from '../../test-utils/conformance.js';
import { startSwitchSimulator } from '../../simulators/snmp/switch.js';
import { startUpsSimulator } from '../../simulators/snmp/ups.js';
import { snmpDriverFactory } from './driver.js';

describeDriverConformance('snmp (ups-mib)', {
  factory: snmpDriverFactory(),
  async start() {
    const ups = await startUpsSimulator();
    return {
      device: { id: 'ups-1', kind: 'snmp', pollIntervalS: 10, options: { host: ups.host, port: ups.port, profile: 'ups-mib' } },
      silence: () => Promise.resolve(ups.inject({ kind: 'ups-silent' })),
      cleanup: () => ups.close(),
    };
  },
});

describeDriverConformance('snmp (if-mib)', {
  factory: snmpDriverFactory(),
  async start() {
    const sw = await startSwitchSimulator();
    return {
      device: { id: 'sw-1', kind: 'snmp', pollIntervalS: 10, options: { host: sw.host, port: sw.port, profile: 'if-mib' } },
      silence: () => sw.close(),
      cleanup: () => sw.close(),
    };
  },
});
