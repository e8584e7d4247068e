// Runs before each test file (vitest's setupFiles), also where a worker runs several files in one
// module graph (isolate: false) and imports the helpers once: hooks a file's tests need go here,
// not at the top of a helper module.
import { afterAll } from 'vitest';
import { removeTemporaryFolder } from './helpers/files.js';

afterAll(removeTemporaryFolder);
