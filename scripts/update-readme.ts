// `npm run docs`: regenerates the README's configuration reference from the schemas.
import { readFileSync, writeFileSync } from 'node:fs';
import { README_PATH, renderReadme } from '../test/support/readme.js';

const before = readFileSync(README_PATH, 'utf8');
const after = renderReadme(before);
writeFileSync(README_PATH, after);
process.stdout.write(before === after ? 'README.md already up to date\n' : 'README.md configuration reference updated\n');
