// Where the built web UI lives; the hub serves this folder at `/`.
import { fileURLToPath } from 'node:url';

export const publicDir = fileURLToPath(new URL('./public/', import.meta.url));
