// RSA key generation is most of the cost of starting a lab. A test file that starts lab after
// lab, never two at once, gives them all the same CA keys, made once.
import { generateCaKeys, type CaKeys } from '../../src/lab/pki.js';

let shared: Promise<CaKeys> | undefined;

/** The CA keys of this test file's labs. Never for two labs (or PKIs) that are alive together. */
export function sharedCaKeys(): Promise<CaKeys> {
  shared ??= generateCaKeys();
  return shared;
}
