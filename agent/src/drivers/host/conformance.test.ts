/** The host driver against the shared driver conformance suite, with a fake OS probe. */
import { describeDriverConformance } from '../../test-utils/conformance.js';
import { FakeHostProbe } from '../../test-utils/fake-host-probe.js';
import { hostDriverFactory } from './driver.js';

let probe = new FakeHostProbe();

describeDriverConformance('host', {
  factory: hostDriverFactory({ probe: () => probe }),
  start: () => {
    probe = new FakeHostProbe();
    return Promise.resolve({
      device: { id: 'host', kind: 'host', pollIntervalS: 10 },
      silence: () => {
        probe.silent = true;
        return Promise.resolve();
      },
      cleanup: () => Promise.resolve(),
    });
  },
});
