// Our own chain verdict. Node's authorizationError is often UNSPECIFIED and never says *why* in
// the terms the cert-trust check needs (self-signed vs untrusted root vs missing intermediate),
// so the path is built here: from the leaf through the certificates the server sent to a trust
// anchor, each link checked by name and by signature.
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { TrustVerdict } from '../../model/observations.js';
import { pemToDer } from './certificate.js';

export interface TrustAssessment {
  verdict: TrustVerdict;
  detail: string;
  /**
   * The certificates the verdict was built on, as indexes into the chain sent, in path order:
   * the leaf, each issuer up to the trust anchor (the anchor too when the server sent it), or as
   * far as the path got. Absent when no path could be started (no leaf, or an unreadable one).
   */
  path?: number[];
  /** For a trusted chain: the system store (a public CA) or a --ca anchor. */
  anchor?: TrustAnchor['source'];
}

export interface TrustAnchor {
  certificate: X509Certificate;
  source: 'system' | 'ca';
}

/** Bounds path building against a server sending many look-alike certificates. */
const MAX_SIGNATURE_CHECKS = 256;

let systemAnchors: TrustAnchor[] | undefined;

function systemTrustAnchors(): TrustAnchor[] {
  systemAnchors ??= tls.rootCertificates.flatMap((pem) => {
    try {
      return [{ certificate: new X509Certificate(pem), source: 'system' as const }];
    } catch {
      return [];
    }
  });
  return systemAnchors;
}

/** The system store plus every certificate of the extra PEM texts that parses; bad ones are skipped. */
export function trustAnchors(extraPems: readonly string[]): TrustAnchor[] {
  return [...systemTrustAnchors(), ...extraTrustAnchors(extraPems)];
}

/**
 * The verdict against the system store plus `extraPems`, trying the extra anchors alone first:
 * parsing the system's roots costs more than a whole lab check, and a chain that verifies to a
 * --ca anchor does not need them.
 */
export function assessTrustAgainst(chain: readonly Buffer[], extraPems: readonly string[], now: Date): TrustAssessment {
  const extra = extraTrustAnchors(extraPems);
  if (extra.length > 0) {
    const quick = assessTrust(chain, extra, now);
    if (quick.verdict === 'trusted') return quick;
  }
  return assessTrust(chain, [...systemTrustAnchors(), ...extra], now);
}

/**
 * Each --ca PEM text parsed once per process: every probe of a batch is judged against the same
 * few anchors, and an X509Certificate holds native memory the garbage collector does not see.
 */
const anchorsOfPem = new Map<string, TrustAnchor[]>();
const PEMS_KEPT = 64;

function extraTrustAnchors(extraPems: readonly string[]): TrustAnchor[] {
  return extraPems.flatMap((pem) => {
    let anchors = anchorsOfPem.get(pem);
    if (!anchors) {
      anchors = pemToDer(pem).flatMap((der) => {
        try {
          return [{ certificate: new X509Certificate(der), source: 'ca' as const }];
        } catch {
          // An unreadable --ca entry cannot anchor anything; the CLI reports unreadable files.
          return [];
        }
      });
      if (anchorsOfPem.size >= PEMS_KEPT) anchorsOfPem.clear();
      anchorsOfPem.set(pem, anchors);
    }
    return anchors;
  });
}

interface PathResult {
  path: X509Certificate[];
  anchor?: TrustAnchor;
  failure?: 'self-signed' | 'untrusted-root' | 'incomplete-chain';
}

const x509Cache = new Map<string, X509Certificate>();
const X509_KEPT = 4096;

/** Peers of one cluster send the same chain: decode each distinct certificate once per process. */
export function x509Of(der: Buffer): X509Certificate {
  const key = der.toString('base64');
  let certificate = x509Cache.get(key);
  if (!certificate) {
    certificate = new X509Certificate(der);
    if (x509Cache.size >= X509_KEPT) x509Cache.clear();
    x509Cache.set(key, certificate);
  }
  return certificate;
}

/**
 * @param chain DER certificates as the server sent them, leaf first
 * @param now the actual time: the checks judge validity again with the run's clock
 */
export function assessTrust(chain: readonly Buffer[], anchors: readonly TrustAnchor[], now: Date): TrustAssessment {
  if (chain.length === 0) return { verdict: 'no-certificate', detail: 'the server sent no certificate' };
  const sent: X509Certificate[] = [];
  const indexOf = new Map<X509Certificate, number>();
  chain.forEach((der, index) => {
    try {
      const certificate = x509Of(der);
      sent.push(certificate);
      if (!indexOf.has(certificate)) indexOf.set(certificate, index);
    } catch {
      // An unreadable certificate cannot be on a path; the parser reports what it could read.
    }
  });
  const leaf = sent[0];
  if (!leaf || indexOf.get(leaf) !== 0) return { verdict: 'unknown', detail: 'the leaf certificate could not be parsed' };

  const budget = { checks: MAX_SIGNATURE_CHECKS };
  const result = extendPath([leaf], sent, anchors, budget);
  const path = result.path.flatMap((certificate) => indexOf.get(certificate) ?? []);
  // A trust anchor the server sent is on the path too (the verifier stopped at the store's copy).
  const sentAnchor = result.anchor && sent.find((certificate) => certificate.fingerprint256 === result.anchor!.certificate.fingerprint256);
  const sentAnchorIndex = sentAnchor ? indexOf.get(sentAnchor) : undefined;
  if (sentAnchorIndex !== undefined && !path.includes(sentAnchorIndex)) path.push(sentAnchorIndex);
  return { ...judgePath(result, leaf, now), path };
}

function judgePath(result: PathResult, leaf: X509Certificate, now: Date): TrustAssessment {
  const validityProblem = firstValidityProblem(
    result.anchor ? [...result.path, result.anchor.certificate] : result.path,
    now,
  );

  if (result.failure) {
    const last = result.path[result.path.length - 1] ?? leaf;
    const also = validityProblem ? `; also, ${validityProblem.detail}` : '';
    switch (result.failure) {
      case 'self-signed':
        return {
          verdict: 'self-signed',
          detail: `the leaf certificate "${nameOf(leaf.subject)}" is self-signed and is not a trust anchor${also}`,
        };
      case 'untrusted-root':
        return {
          verdict: 'untrusted-root',
          detail: `the chain ends in the self-signed root "${nameOf(last.subject)}", which is not a trusted root${also}`,
        };
      case 'incomplete-chain':
        // Without the leaf's issuer the chain is broken at its first link: a missing
        // intermediate. Further up, the sent chain reaches a CA whose issuer nobody has: an
        // unknown (private) root, the usual case, or more rarely a second missing intermediate.
        if (result.path.length === 1) {
          return {
            verdict: 'incomplete-chain',
            detail:
              `"${nameOf(last.issuer)}", the issuer of the leaf certificate, was not sent by the server and ` +
              `is not a trust anchor: an intermediate certificate is missing${also}`,
          };
        }
        return {
          verdict: 'untrusted-root',
          detail:
            `the chain leads to "${nameOf(last.issuer)}" (issuer of "${nameOf(last.subject)}"), which is not a ` +
            `trusted root and was not sent by the server${also}`,
        };
    }
  }
  if (validityProblem) return validityProblem;
  const anchor = result.anchor;
  const source = anchor?.source === 'ca' ? 'an extra trust anchor (--ca)' : 'the system trust store';
  return {
    verdict: 'trusted',
    detail: `the chain verifies to "${nameOf(anchor?.certificate.subject ?? '')}" from ${source}`,
    ...(anchor ? { anchor: anchor.source } : {}),
  };
}

function extendPath(
  path: X509Certificate[],
  sent: readonly X509Certificate[],
  anchors: readonly TrustAnchor[],
  budget: { checks: number },
): PathResult {
  const current = path[path.length - 1];
  if (!current) return { path, failure: 'incomplete-chain' };
  const itself = anchors.find((anchor) => anchor.certificate.fingerprint256 === current.fingerprint256);
  if (itself) return { path: path.slice(0, -1), anchor: itself };
  const issuingAnchor = anchors.find((anchor) => issued(anchor.certificate, current, budget));
  if (issuingAnchor) return { path, anchor: issuingAnchor };
  if (issued(current, current, budget)) return { path, failure: path.length === 1 ? 'self-signed' : 'untrusted-root' };

  let fallback: PathResult | undefined;
  for (const candidate of sent) {
    if (path.includes(candidate) || !issued(candidate, current, budget)) continue;
    const result = extendPath([...path, candidate], sent, anchors, budget);
    if (result.anchor) return result;
    fallback ??= result;
  }
  return fallback ?? { path, failure: 'incomplete-chain' };
}

/** Whether `issuer` signed `subject`: names chain and the signature verifies with issuer's key. */
function issued(issuer: X509Certificate, subject: X509Certificate, budget: { checks: number }): boolean {
  if (subject.issuer !== issuer.subject || budget.checks <= 0) return false;
  budget.checks--;
  const key = `${subject.fingerprint256}<${issuer.fingerprint256}`;
  let verified = verifiedSignatures.get(key);
  if (verified === undefined) {
    try {
      verified = subject.verify(issuer.publicKey);
    } catch {
      verified = false;
    }
    if (verifiedSignatures.size >= X509_KEPT) verifiedSignatures.clear();
    verifiedSignatures.set(key, verified);
  }
  return verified;
}

/** Signature checks already made, by subject and issuer fingerprint: a cluster repeats them. */
const verifiedSignatures = new Map<string, boolean>();

function firstValidityProblem(certificates: readonly X509Certificate[], now: Date): TrustAssessment | undefined {
  for (const certificate of certificates) {
    const notAfter = new Date(certificate.validTo);
    const notBefore = new Date(certificate.validFrom);
    if (notAfter.getTime() < now.getTime()) {
      return {
        verdict: 'expired',
        detail: `"${nameOf(certificate.subject)}" expired on ${isoOrRaw(notAfter, certificate.validTo)}`,
      };
    }
    if (notBefore.getTime() > now.getTime()) {
      return {
        verdict: 'not-yet-valid',
        detail: `"${nameOf(certificate.subject)}" is not valid before ${isoOrRaw(notBefore, certificate.validFrom)}`,
      };
    }
  }
  return undefined;
}

function isoOrRaw(date: Date, raw: string): string {
  return Number.isNaN(date.getTime()) ? raw : date.toISOString();
}

/** Node's multi-line subject as a one-line name, most specific first. */
function nameOf(multiline: string): string {
  return multiline.split('\n').reverse().join(', ');
}
