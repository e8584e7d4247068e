// The validation path of the chain a peer sends, as gather's trust verdict recorded it: what the
// certificate checks judge (validity, keys, signatures) and what the reports count days on.
// A server may send certificates that are not on the path (an unrelated one, an expired cross-
// certificate beside a valid path): they play no part in validation, and judging them as the
// path would fail a healthy chain and name the wrong certificate as its root.
import type { CertificateInfo, TlsProbeObservation } from './observations.js';

export interface ValidationPath {
  /** The certificates on the path, leaf first, in path order (the whole chain as sent when no path was recorded). */
  certificates: CertificateInfo[];
  /** Certificates sent but not on the path, with their position in the chain sent. */
  notOnPath: { index: number; certificate: CertificateInfo }[];
}

/**
 * The path `probe.trust.path` records. Reports written before fedcheck recorded it (or with a
 * path that does not start at the leaf or points outside the chain) count the whole chain, as
 * they were judged when written.
 */
export function validationPath(probe: Pick<TlsProbeObservation, 'chain' | 'trust'>): ValidationPath {
  const { chain } = probe;
  const path = probe.trust?.path;
  const usable =
    path !== undefined &&
    path[0] === 0 &&
    new Set(path).size === path.length &&
    path.every((index) => Number.isInteger(index) && index >= 0 && index < chain.length);
  if (!usable) return { certificates: [...chain], notOnPath: [] };
  const onPath = new Set(path);
  return {
    certificates: path.map((index) => chain[index]!),
    notOnPath: chain.flatMap((certificate, index) => (onPath.has(index) ? [] : [{ index, certificate }])),
  };
}
