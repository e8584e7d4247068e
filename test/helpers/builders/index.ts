// The one set of test builders: hand-made observations (DNS, TLS, IM and Presence) and the
// running of checks on them. Report tests build RunResults from the same (test/report/results.ts).
export * from './dns.js';
export * from './tls.js';
export * from './imp.js';
export * from './revocation.js';
export * from './checks.js';
export * from './authoritative.js';
