/**
 * A process that appends to the outbox in `argv[2]` as fast as it can and prints each seq
 * once its append has committed, until it is killed (for the SIGKILL tests).
 */
import { SeqState } from '../../state.js';
import { Outbox } from '../outbox.js';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: append-forever.ts <dataDir>');
const outbox = await Outbox.open({ dataDir, seq: await SeqState.open({ dataDir, blockSize: 50 }) });
for (let n = 0; ; n++) {
  const seq = await outbox.append('telemetry', [{ device: 'host', at: Date.now(), metrics: { n, pad: 'x'.repeat(200) } }]);
  process.stdout.write(`${seq}\n`);
}
