// RSA key generation is most of the cost of starting a lab. Labs that a worker starts one after
// another, never two alive at once, all get the same CA keys, made once.
import { generateCaKeys, type CaKeys } from '../../src/lab/pki.js';

let shared: Promise<CaKeys> | undefined;

/** The CA keys of this worker's scenario labs. Never for two labs (or PKIs) that are alive together. */
export function sharedCaKeys(): Promise<CaKeys> {
  shared ??= generateCaKeys();
  return shared;
}
