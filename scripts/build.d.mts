/** Builds dist/ from src/: the bundle bin/fedcheck.js loads and the lab server (see build.mjs). */
export function buildBundle(): Promise<void>;
