// Where the client's files are, for the tests next to this one.
import { fileURLToPath } from 'node:url';

export const STATIC = fileURLToPath(new URL('../../src/teamline/web/static/', import.meta.url));
