// Where the web UI lives; the hub serves this folder at `/`. The built UI (dist/, made by
// `npm run build -w @ledwatch/dashboards`, which `npm start` and `npm test` run first) when
// it exists, else public/: a page saying how to build it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('./dist/', import.meta.url));

export const publicDir = existsSync(`${built}index.html`) ? built : fileURLToPath(new URL('./public/', import.meta.url));
