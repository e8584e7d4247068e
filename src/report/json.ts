// The result is the document: schemaVersion 2, described by schema/fedcheck-result.schema.json,
// and what `--replay` and `--baseline` read back (src/cli/saved-report.ts, which reads version 1
// too). A service provider checks thousands of domains whose edges present the same few
// certificates, so version 2 writes each fact once:
// - every certificate once, under "certificates", a probe's chain listing their keys (and a
//   revocation issuer naming its own);
// - every CRL and OCSP body kept for --replay, and every stapled OCSP response, once, under
//   "revocationBodies", by the SHA-256 of its bytes: a provider's thousands of domains share
//   their CA's few CRLs, and an edge staples the same response for every domain it serves;
// - each check's reference once, under "references", a finding keeping its own only when it differs;
// - a passing finding as its check, code, status and subject: its message and data only restate
//   the observations, and `--replay` brings them back.
// Each target is one line, so the file stays a size a batch can afford and `jq` reads it as usual.
import { createHash } from 'node:crypto';
import { SCHEMA_VERSION, type Finding, type RunResult, type TargetResult } from '../model/findings.js';
import type { CertificateInfo, TlsProbeObservation } from '../model/observations.js';
import type { CertificateRevocation, RevocationObservations, RevocationSource } from '../model/revocation.js';

export function renderJson(result: RunResult): string {
  return [...jsonChunks(result)].join('');
}

/**
 * The key of each certificate written: its SHA-256 fingerprint, or, for a different certificate
 * claiming a fingerprint already taken (a hand-edited report), the fingerprint and "#2", "#3"….
 */
class CertificateKeys {
  readonly #keys = new Map<CertificateInfo, string>();
  readonly #certificates = new Map<string, CertificateInfo>();
  /** The JSON text of a certificate met under a fingerprint, kept only to tell look-alikes apart. */
  readonly #texts = new Map<CertificateInfo, string>();

  keyOf(certificate: CertificateInfo): string {
    const known = this.#keys.get(certificate);
    if (known !== undefined) return known;
    let key = certificate.fingerprintSha256;
    for (let suffix = 2; ; suffix++) {
      const holder = this.#certificates.get(key);
      if (holder === undefined || this.#same(holder, certificate)) break;
      key = `${certificate.fingerprintSha256}#${suffix}`;
    }
    if (!this.#certificates.has(key)) this.#certificates.set(key, certificate);
    this.#keys.set(certificate, key);
    return key;
  }

  entries(): [string, CertificateInfo][] {
    return [...this.#certificates.entries()];
  }

  /** Two objects, one certificate: what a report read without sharing them (version 1) holds. */
  #same(a: CertificateInfo, b: CertificateInfo): boolean {
    const text = (certificate: CertificateInfo): string => {
      let known = this.#texts.get(certificate);
      if (known === undefined) this.#texts.set(certificate, (known = JSON.stringify(certificate)));
      return known;
    };
    return text(a) === text(b);
  }
}

/** Each kept CRL or OCSP body, once, by the SHA-256 of its bytes (hex). */
class RevocationBodies {
  /** Base64 text → key: the targets of one run share the body's string, so each is hashed once. */
  readonly #keys = new Map<string, string>();
  readonly #bodies = new Map<string, string>();

  keyOf(body: string): string {
    let key = this.#keys.get(body);
    if (key === undefined) {
      key = createHash('sha256').update(Buffer.from(body, 'base64')).digest('hex');
      this.#keys.set(body, key);
      this.#bodies.set(key, body);
    }
    return key;
  }

  entries(): [string, string][] {
    return [...this.#bodies.entries()];
  }
}

/** The revocation observations as written: issuers as certificate keys, bodies as body keys. */
function revocationForDocument(revocation: RevocationObservations, keys: CertificateKeys, bodies: RevocationBodies): unknown {
  const sourceOf = ({ body, ...source }: RevocationSource) => (body === undefined ? source : { ...source, bodyKey: bodies.keyOf(body) });
  return {
    ...revocation,
    certificates: revocation.certificates.map((entry) => ({
      ...entry,
      ...(entry.issuer ? { issuer: { source: entry.issuer.source, certificate: keys.keyOf(entry.issuer.certificate) } } : {}),
      crls: entry.crls.map(sourceOf),
      ocsp: entry.ocsp.map(sourceOf),
    })),
  };
}

/** Each check's reference, as the first of its findings gives it. */
class References {
  readonly #byCheck = new Map<string, string>();

  /** The finding without its reference when that is its check's. */
  written(finding: Finding): Finding {
    if (finding.reference === undefined) return finding;
    const known = this.#byCheck.get(finding.check);
    if (known === undefined) this.#byCheck.set(finding.check, finding.reference);
    if ((known ?? finding.reference) !== finding.reference) return finding;
    const { reference: _written, ...rest } = finding;
    return rest;
  }

  entries(): [string, string][] {
    return [...this.#byCheck.entries()];
  }
}

function findingForDocument(finding: Finding, references: References): unknown {
  if (finding.status === 'pass') {
    references.written(finding);
    return { check: finding.check, code: finding.code, status: finding.status, subject: finding.subject };
  }
  return references.written(finding);
}

/** The target as written: chains as certificate keys, findings as findingForDocument writes them. */
function targetForDocument(target: TargetResult, keys: CertificateKeys, references: References, bodies: RevocationBodies): unknown {
  const { observations } = target;
  return {
    ...target,
    observations: {
      ...observations,
      tls: observations.tls.map(({ stapledOcsp, ...probe }) => ({
        ...probe,
        chain: probe.chain.map((certificate) => keys.keyOf(certificate)),
        ...(stapledOcsp !== undefined ? { stapledOcspKey: bodies.keyOf(stapledOcsp) } : {}),
      })),
      ...(observations.revocation ? { revocation: revocationForDocument(observations.revocation, keys, bodies) } : {}),
    },
    findings: target.findings.map((finding) => findingForDocument(finding, references)),
  };
}

/** A top-level member holding a list or a map, one item per line. */
function* lines(key: string, open: string, close: string, items: string[], separator: string): Generator<string> {
  if (items.length === 0) {
    yield `  ${JSON.stringify(key)}: ${open}${close}${separator}`;
    return;
  }
  yield `  ${JSON.stringify(key)}: ${open}\n`;
  for (const [index, item] of items.entries()) yield `    ${item}${index < items.length - 1 ? ',' : ''}\n`;
  yield `  ${close}${separator}`;
}

/**
 * The document, one top-level member a line, and one target (then one certificate) a line,
 * written a target at a time: a batch of thousands of targets is tens of megabytes, and as a
 * single string it would double the run's memory. The certificates and references come right
 * after the targets, as writing the targets collects them.
 */
export function* jsonChunks(result: RunResult): Generator<string> {
  const keys = new CertificateKeys();
  const references = new References();
  const bodies = new RevocationBodies();
  const entries = Object.entries(result).filter(([, value]) => value !== undefined);
  yield '{\n';
  for (const [index, [key, value]] of entries.entries()) {
    const separator = index < entries.length - 1 ? ',\n' : '\n';
    if (key !== 'targets') {
      yield `  ${JSON.stringify(key)}: ${JSON.stringify(value)}${separator}`;
      continue;
    }
    const targets = value as TargetResult[];
    if (targets.length === 0) yield '  "targets": [],\n';
    else {
      yield '  "targets": [\n';
      for (const [targetIndex, target] of targets.entries()) {
        yield `    ${JSON.stringify(targetForDocument(target, keys, references, bodies))}${targetIndex < targets.length - 1 ? ',' : ''}\n`;
      }
      yield '  ],\n';
    }
    yield* lines('certificates', '{', '}', keys.entries().map(([certificateKey, certificate]) => `${JSON.stringify(certificateKey)}: ${JSON.stringify(certificate)}`), ',\n');
    yield* lines('revocationBodies', '{', '}', bodies.entries().map(([bodyKey, body]) => `${JSON.stringify(bodyKey)}: ${JSON.stringify(body)}`), ',\n');
    yield* lines('references', '{', '}', references.entries().map(([check, reference]) => `${JSON.stringify(check)}: ${JSON.stringify(reference)}`), separator);
  }
  yield '}\n';
}

/** A document of a version fedcheck reads, as JSON.parse gives it (and the schema accepted it). */
export type SavedDocument = Omit<RunResult, 'schemaVersion'> & {
  schemaVersion: 1 | 2;
  certificates?: Record<string, CertificateInfo>;
  revocationBodies?: Record<string, string>;
  references?: Record<string, string>;
};

/** Where a document that passed the schema still does not hold together: a chain naming a missing certificate. */
export class DocumentError extends Error {
  override name = 'DocumentError';
}

/**
 * The result in memory from a saved document: each chain holds its certificates, one object per
 * certificate however many chains it is in, and each finding its reference. Version 2 names the
 * certificates by key; version 1 repeats them, and equal copies are merged, so a replayed batch
 * weighs what a fresh run does. A passing finding of version 2 comes back without message or
 * data (re-judge the observations, as --replay does, to have them).
 */
export function resultFromDocument(saved: SavedDocument): RunResult {
  const { certificates: stored, revocationBodies: storedBodies, references: storedReferences, ...document } = saved;
  const byKey = new Map(Object.entries(stored ?? {}));
  const bodies = new Map(Object.entries(storedBodies ?? {}));
  const references = new Map(Object.entries(storedReferences ?? {}));
  const seen = new Map<string, CertificateInfo>();
  const shared = (certificate: CertificateInfo): CertificateInfo => {
    const text = JSON.stringify(certificate);
    const known = seen.get(text);
    if (known) return known;
    seen.set(text, certificate);
    return certificate;
  };
  const chainOf = (probe: TlsProbeObservation, where: string): CertificateInfo[] =>
    (probe.chain as unknown[]).map((entry, index) => {
      if (saved.schemaVersion === 1) {
        if (typeof entry !== 'object' || entry === null) throw new DocumentError(`${where}.chain[${index}] is not a certificate (a version 1 report holds them in the chain)`);
        return shared(entry as CertificateInfo);
      }
      const certificate = typeof entry === 'string' ? byKey.get(entry) : undefined;
      if (!certificate) throw new DocumentError(`${where}.chain[${index}] names no certificate of the report's "certificates"`);
      return certificate;
    });
  // Written by version 2 only: the issuer and the bodies by key.
  const revocationOf = (revocation: RevocationObservations, where: string): RevocationObservations => {
    const sourceOf = (written: RevocationSource & { bodyKey?: string }, at: string): RevocationSource => {
      const { bodyKey, ...source } = written;
      if (bodyKey === undefined) return source;
      const body = bodies.get(bodyKey);
      if (body === undefined) throw new DocumentError(`${at}.bodyKey names no body of the report's "revocationBodies"`);
      return { ...source, body };
    };
    return {
      ...revocation,
      certificates: revocation.certificates.map((entry, index): CertificateRevocation => {
        const at = `${where}.certificates[${index}]`;
        const issuerKey = entry.issuer?.certificate as unknown;
        const issuer = typeof issuerKey === 'string' ? byKey.get(issuerKey) : undefined;
        if (entry.issuer && !issuer) throw new DocumentError(`${at}.issuer.certificate names no certificate of the report's "certificates"`);
        return {
          ...entry,
          ...(entry.issuer && issuer ? { issuer: { source: entry.issuer.source, certificate: issuer } } : {}),
          crls: entry.crls.map((source, sourceIndex) => sourceOf(source, `${at}.crls[${sourceIndex}]`)),
          ocsp: entry.ocsp.map((source, sourceIndex) => sourceOf(source, `${at}.ocsp[${sourceIndex}]`)),
        };
      }),
    };
  };
  const findingOf = (finding: Finding): Finding => {
    const reference = finding.reference ?? references.get(finding.check);
    return { ...finding, message: finding.message ?? '', ...(reference !== undefined ? { reference } : {}) };
  };
  return {
    ...document,
    schemaVersion: SCHEMA_VERSION,
    targets: document.targets.map((target, targetIndex) => ({
      ...target,
      observations: {
        ...target.observations,
        tls: target.observations.tls.map((probe, probeIndex) => {
          const where = `targets[${targetIndex}].observations.tls[${probeIndex}]`;
          const { stapledOcspKey, ...read } = probe as TlsProbeObservation & { stapledOcspKey?: string };
          const stapledOcsp = stapledOcspKey === undefined ? undefined : bodies.get(stapledOcspKey);
          if (stapledOcspKey !== undefined && stapledOcsp === undefined) throw new DocumentError(`${where}.stapledOcspKey names no body of the report's "revocationBodies"`);
          return { ...read, chain: chainOf(probe, where), ...(stapledOcsp !== undefined ? { stapledOcsp } : {}) };
        }),
        ...(target.observations.revocation
          ? { revocation: revocationOf(target.observations.revocation, `targets[${targetIndex}].observations.revocation`) }
          : {}),
      },
      findings: target.findings.map(findingOf),
    })),
  };
}
