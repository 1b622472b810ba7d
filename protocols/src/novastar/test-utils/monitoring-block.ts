/**
 * A hand-built 82-byte receiving-card monitoring block with every field set, and what it
 * decodes to. Shared by the decoder and describeFrame tests.
 */
import type { ReceivingCardMonitoring } from '../monitoring.js';

export const MONITORING_BLOCK = Uint8Array.from([
  0x80, // 0x00 card temperature: valid (bit7), positive (bit0 clear)
  0x48, // 0x01 72 × 0.5 °C = 36 °C
  0xa8, // 0x02 card humidity: valid, 0x28 = 40 %RH
  0xa9, // 0x03 card voltage: valid, 0x29 = 41 × 0.1 V = 4.1 V
  ...new Array<number>(0x20 - 0x04).fill(0), // 0x04–0x1F not used
  0xff, // 0x20 monitor card present
  0x01, 0x02, // 0x21–0x22 monitor card model 0x0201 (u16 LE)
  0x01, 0x02, 0x03, 0x04, // 0x23–0x26 monitor card firmware 1.2.3.4
  0x81, // 0x27 monitor card temperature: valid, negative
  0x14, // 0x28 20 × 0.5 °C → -10 °C
  0x00, // 0x29 monitor card humidity: not valid → null
  0x81, // 0x2A smoke: valid, detected
  0x9e, // 0x2B fan 0: valid, 30 × 50 = 1500 rpm
  0xa0, // 0x2C fan 1: valid, 32 × 50 = 1600 rpm
  0x00, // 0x2D fan 2: not valid → null
  0x80, // 0x2E fan 3: valid, 0 rpm (stopped)
  0xb2, // 0x2F voltage 0: valid, 5.0 V
  0xb3, // 0x30 voltage 1: valid, 5.1 V
  0xa1, // 0x31 voltage 2: valid, 3.3 V
  0x00, // 0x32 voltage 3: not valid → null
  0xf8, // 0x33 voltage 4: valid, 120 × 0.1 = 12.0 V
  0x00, // 0x34 voltage 5: not valid
  0x00, // 0x35 voltage 6: not valid
  0x00, // 0x36 voltage 7: not valid
  0x00, // 0x37 voltage 8: not valid
  ...new Array<number>(0x41 - 0x38).fill(0), // 0x38–0x40 not used
  0x02, // 0x41 doors: door 2 open (bit1), door 1 closed
  0x01, // 0x42 ribbon bits 0..7: bit 0 error
  0x00, 0x00, 0x00, // 0x43–0x45 bits 8..31 fine
  0x03, // 0x46 bits 32..39: bits 32 and 33 error
  ...new Array<number>(0x51 - 0x47).fill(0), // 0x47–0x50 bits 40..119 fine
  0x80, // 0x51 bits 120..127: bit 127 error
]);

export const MONITORING_DECODED: ReceivingCardMonitoring = {
  temperatureC: 36,
  humidityPct: 40,
  voltageV: 4.1,
  monitorCard: {
    present: true,
    model: 0x0201,
    firmware: '1.2.3.4',
    temperatureC: -10,
    humidity: null,
    smoke: true,
    fansRpm: [1500, 1600, null, 0],
    voltagesV: [5, 5.1, 3.3, null, 12, null, null, null, null],
    doorsOpen: [false, true],
    ribbonErrorBits: [0, 32, 33, 127],
    ribbonErrors: 4,
  },
};
