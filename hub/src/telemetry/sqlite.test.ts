import { describeTelemetryStore } from './test-utils/conformance.js';
import { sqliteHarness } from './test-utils/sqlite-harness.js';

describeTelemetryStore('embedded SQLite', sqliteHarness);
