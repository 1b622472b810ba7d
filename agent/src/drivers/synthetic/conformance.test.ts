/** The synthetic driver against the shared driver conformance suite; silence is a test hook. */
import { describeDriverConformance } from '../../test-utils/conformance.js';
import { syntheticDriverFactory } from './driver.js';

let silent = false;

describeDriverConformance('synthetic', {
  factory: syntheticDriverFactory({ silent: () => silent }),
  start: () => {
    silent = false;
    return Promise.resolve({
      device: { id: 'load', kind: 'synthetic', pollIntervalS: 10, options: { readingsPerPoll: 4, metrics: 5 } },
      silence: () => {
        silent = true;
        return Promise.resolve();
      },
      cleanup: () => Promise.resolve(),
    });
  },
});
