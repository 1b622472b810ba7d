#!/usr/bin/env node
/** Process entry point of `ledwatch-agent` (see main.ts for the commands). */
import { runCli } from './main.js';

const code = await runCli(process.argv.slice(2));
process.exit(code);
