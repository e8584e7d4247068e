// The result is the document: schemaVersion 3, described by schema/fedcheck-result.schema.json,
// and what `--replay` and `--baseline` read back (resultFromDocument below reads versions 1 and 2
// too). A service provider checks thousands of domains whose edges present the same few
// certificates, so the document writes each fact once:
// - every certificate once, under "certificates", a probe's chain listing their keys (and a
//   revocation entry naming its issuer's);
// - what was learned about the revocation of each certificate once, under "revocations" (the
//   domains an edge serves share its certificate, and so its CRLs and OCSP answers), a target's
//   revocation listing their keys; every CRL and OCSP body kept for --replay, and every stapled
//   OCSP response, once, under "revocationBodies", by the SHA-256 of its bytes;
// - which of Microsoft's cipher suites a peer accepts, and whether it accepts TLS 1.0 and 1.1,
//   once per peer, under "cipherProbes" and "legacyProbes": they are probed once per address and
//   port, whatever domain it serves;
// - each message and remediation text once, under "texts": a shared edge's problem is told in the
//   same words for every domain it serves;
// - each check's reference once, under "references", a finding keeping its own only when it differs;
// - a passing or info finding as its code, status and subject: its message and data only restate
//   the observations, and `--replay` brings them back;
// - a DNS exchange without what goes without saying: its flags as dig writes them ("aa rd"), no
//   transport when UDP, no retriedOverTcp when false, no empty answers or authorities, no
//   resolver when it is the usual one (the target's first resolver; an authoritative server's
//   own), no name and type for an authoritative server's query that is the question of its
//   place; its records as rows, as a zone file lists them: [owner, TTL, type, data…].
// Each target is one line, so the file stays a size a batch can afford and `jq` reads it as usual.
import { createHash } from 'node:crypto';
import { SCHEMA_VERSION, type Finding, type RunResult, type TargetResult } from '../model/findings.js';
import { authoritativeQuestions, type AuthoritativeObservations } from '../model/authoritative.js';
import type { CipherSuiteProbes } from '../model/ciphers.js';
import { peerEndpoint } from '../model/ip.js';
import type { CertificateInfo, DnsFlags, DnsQueryObservation, DnsRecord, LegacyProtocolProbe, TargetObservations, TlsProbeObservation } from '../model/observations.js';
import type { CertificateRevocation, RevocationObservations, RevocationSource } from '../model/revocation.js';

export function renderJson(result: RunResult): string {
  return [...jsonChunks(result)].join('');
}

/**
 * Items written once under a top-level member, each by a key: the base key the caller gives (a
 * fingerprint, an endpoint), or, for a different item claiming a base key already taken, the base
 * key and "#2", "#3"…. `written` is what the document holds for an item; two items are one when
 * they are the same object or write the same text.
 */
class SharedTable<T> {
  readonly #keys = new Map<T, string>();
  readonly #items = new Map<string, T>();
  readonly #texts = new Map<T, string>();
  readonly #written: (item: T) => unknown;

  constructor(written: (item: T) => unknown = (item) => item) {
    this.#written = written;
  }

  keyOf(item: T, baseKey: string): string {
    const known = this.#keys.get(item);
    if (known !== undefined) return known;
    let key = baseKey;
    for (let suffix = 2; ; suffix++) {
      const holder = this.#items.get(key);
      if (holder === undefined || this.#text(holder) === this.#text(item)) break;
      key = `${baseKey}#${suffix}`;
    }
    if (!this.#items.has(key)) this.#items.set(key, item);
    this.#keys.set(item, key);
    return key;
  }

  /** The items as written, by key, in the order they were first met. */
  *entries(): Generator<[string, unknown]> {
    for (const [key, item] of this.#items) yield [key, this.#written(item)];
  }

  /** Only computed when two objects claim one base key: what a report read without sharing them holds. */
  #text(item: T): string {
    let known = this.#texts.get(item);
    if (known === undefined) this.#texts.set(item, (known = JSON.stringify(this.#written(item))));
    return known;
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

/** Each message and remediation text once, by a short key: its number in the order met. */
class Texts {
  readonly #keys = new Map<string, string>();

  keyOf(text: string): string {
    let key = this.#keys.get(text);
    if (key === undefined) this.#keys.set(text, (key = String(this.#keys.size + 1)));
    return key;
  }

  *entries(): Generator<[string, string]> {
    for (const [text, key] of this.#keys) yield [key, text];
  }
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

/** The DNS header flags as dig lists them, in dig's order: the mnemonic of each flag set. */
const DNS_FLAG_MNEMONICS: readonly (readonly [keyof DnsFlags, string])[] = [
  ['authoritative', 'aa'],
  ['truncated', 'tc'],
  ['recursionDesired', 'rd'],
  ['recursionAvailable', 'ra'],
  ['authenticData', 'ad'],
  ['checkingDisabled', 'cd'],
];

function flagsText(flags: DnsFlags): string {
  return DNS_FLAG_MNEMONICS.filter(([flag]) => flags[flag]).map(([, mnemonic]) => mnemonic).join(' ');
}

function flagsFromText(text: string): DnsFlags {
  const set = new Set(text.split(' '));
  return Object.fromEntries(DNS_FLAG_MNEMONICS.map(([flag, mnemonic]) => [flag, set.has(mnemonic)])) as unknown as DnsFlags;
}

/** A written record: owner, TTL, type, then the data's fields in the order of the zone-file form. */
type RecordRow = [string, number, string, ...(string | number | string[])[]];

/** A record as a row, as a zone file lists it: ["sip.example.com", 3600, "A", "192.0.2.10"]. */
function recordRow(record: DnsRecord): RecordRow {
  switch (record.type) {
    case 'SRV':
      return [record.name, record.ttl, record.type, record.data.priority, record.data.weight, record.data.port, record.data.target];
    case 'SOA': {
      const { mname, rname, serial, refresh, retry, expire, minimum } = record.data;
      return [record.name, record.ttl, record.type, mname, rname, serial, refresh, retry, expire, minimum];
    }
    case 'TXT':
      return [record.name, record.ttl, record.type, record.data];
    case 'OTHER':
      return [record.name, record.ttl, record.type, record.rrtype, record.data];
    default:
      return [record.name, record.ttl, record.type, record.data];
  }
}

/** The record of a row (the schema has checked each type's fields). */
function recordFromRow(row: RecordRow | DnsRecord): DnsRecord {
  if (!Array.isArray(row)) return row;
  const [name, ttl, type, ...data] = row;
  switch (type) {
    case 'SRV': {
      const [priority, weight, port, target] = data as [number, number, number, string];
      return { name, ttl, type, data: { priority, weight, port, target } };
    }
    case 'SOA': {
      const [mname, rname, serial, refresh, retry, expire, minimum] = data as [string, string, number, number, number, number, number];
      return { name, ttl, type, data: { mname, rname, serial, refresh, retry, expire, minimum } };
    }
    case 'TXT':
      return { name, ttl, type, data: data[0] as string[] };
    case 'OTHER':
      return { name, ttl, type, rrtype: data[0] as string, data: data[1] as string };
    default:
      return { name, ttl, type: type as 'A' | 'AAAA' | 'CNAME' | 'PTR' | 'NS', data: data[0] as string };
  }
}

/** A DNS exchange without what goes without saying (the defaults queryFromDocument restores), its records as rows. */
function queryForDocument(query: DnsQueryObservation, usualResolver: string | undefined): Record<string, unknown> {
  const written: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(query)) {
    if (field === 'resolver' && value === usualResolver) continue;
    if (field === 'transport' && value === 'udp') continue;
    if (field === 'retriedOverTcp' && value === false) continue;
    if (field === 'answers' || field === 'authorities') {
      const records = value as DnsRecord[];
      if (records.length > 0) written[field] = records.map(recordRow);
      continue;
    }
    written[field] = field === 'flags' ? flagsText(value as DnsFlags) : value;
  }
  return written;
}

/** The written form of a DNS exchange of version 3. */
type WrittenQuery = Omit<DnsQueryObservation, 'resolver' | 'transport' | 'retriedOverTcp' | 'answers' | 'authorities' | 'flags'> &
  Partial<Pick<DnsQueryObservation, 'resolver' | 'transport' | 'retriedOverTcp'>> & { flags?: string; answers?: RecordRow[]; authorities?: RecordRow[] };

function queryFromDocument(written: WrittenQuery, usualResolver: string | undefined, where: string): DnsQueryObservation {
  const resolver = written.resolver ?? usualResolver;
  if (resolver === undefined) throw new DocumentError(`${where} names no resolver, and its target has none`);
  const { name, type, transport, retriedOverTcp, udpTries, rcode, flags, answers, authorities, durationMs, error } = written;
  // In the order gather writes the fields, so that a report read and written again is the same text.
  return {
    name,
    type,
    resolver,
    transport: transport ?? 'udp',
    retriedOverTcp: retriedOverTcp ?? false,
    ...(udpTries !== undefined ? { udpTries } : {}),
    ...(rcode !== undefined ? { rcode } : {}),
    ...(flags !== undefined ? { flags: flagsFromText(flags) } : {}),
    answers: (answers ?? []).map(recordFromRow),
    authorities: (authorities ?? []).map(recordFromRow),
    durationMs,
    ...(error !== undefined ? { error } : {}),
  };
}

/**
 * The authoritative observations as written: every server is asked the same questions in the
 * same order (authoritativeQuestions), so a query that is its question leaves out name and type.
 */
function authoritativeForDocument(authoritative: AuthoritativeObservations): unknown {
  const questions = authoritativeQuestions(authoritative);
  return {
    ...authoritative,
    servers: authoritative.servers.map((server) => ({
      ...server,
      queries: server.queries.map((query, index) => {
        const written = queryForDocument(query, server.endpoint);
        const question = questions[index];
        if (question?.name === query.name && question.type === query.type) {
          delete written.name;
          delete written.type;
        }
        return written;
      }),
    })),
  };
}

/** The authoritative observations from a version 3 document: each query's name, type and resolver restored. */
function authoritativeFromDocument(authoritative: AuthoritativeObservations, where: string): AuthoritativeObservations {
  const questions = authoritativeQuestions(authoritative);
  return {
    ...authoritative,
    servers: authoritative.servers.map((server, serverIndex) => ({
      ...server,
      queries: server.queries.map((written, index) => {
        const at = `${where}.servers[${serverIndex}].queries[${index}]`;
        const question = (written.name === undefined || written.type === undefined) ? questions[index] : undefined;
        if ((written.name === undefined || written.type === undefined) && question === undefined) {
          throw new DocumentError(`${at} has no name and type, and the zone has no question ${index + 1} to take them from`);
        }
        return queryFromDocument({ ...question, ...(written as unknown as WrittenQuery) } as WrittenQuery, server.endpoint, at);
      }),
    })),
  };
}

/** The tables a document's targets name their shared facts in. */
class DocumentTables {
  readonly certificates = new SharedTable<CertificateInfo>();
  readonly bodies = new RevocationBodies();
  readonly revocations = new SharedTable<CertificateRevocation>((entry) => this.#revocationEntry(entry));
  readonly cipherProbes = new SharedTable<CipherSuiteProbes>();
  readonly legacyProbes = new SharedTable<LegacyProtocolProbe[]>();
  readonly texts = new Texts();
  readonly references = new References();

  certificateKey(certificate: CertificateInfo): string {
    return this.certificates.keyOf(certificate, certificate.fingerprintSha256);
  }

  /** A revocation entry as written: its issuer as a certificate key, its bodies as body keys. */
  #revocationEntry(entry: CertificateRevocation): unknown {
    const sourceOf = ({ body, ...source }: RevocationSource) => (body === undefined ? source : { ...source, bodyKey: this.bodies.keyOf(body) });
    return {
      ...entry,
      ...(entry.issuer ? { issuer: { source: entry.issuer.source, certificate: this.certificateKey(entry.issuer.certificate) } } : {}),
      crls: entry.crls.map(sourceOf),
      ocsp: entry.ocsp.map(sourceOf),
    };
  }

  revocation(revocation: RevocationObservations): unknown {
    return {
      ...revocation,
      certificates: revocation.certificates.map((entry) => this.revocations.keyOf(entry, entry.fingerprintSha256)),
    };
  }

  probe({ stapledOcsp, ciphers, legacyProtocols, ...probe }: TlsProbeObservation): unknown {
    return {
      ...probe,
      chain: probe.chain.map((certificate) => this.certificateKey(certificate)),
      // None probed (no connection): nothing to share.
      legacyProtocols: legacyProtocols.length > 0 ? this.legacyProbes.keyOf(legacyProtocols, peerEndpoint(probe)) : legacyProtocols,
      ...(ciphers !== undefined ? { ciphers: this.cipherProbes.keyOf(ciphers, peerEndpoint(probe)) } : {}),
      ...(stapledOcsp !== undefined ? { stapledOcspKey: this.bodies.keyOf(stapledOcsp) } : {}),
    };
  }

  /**
   * A finding that asks nothing of anyone (pass, info): its code, status and subject (the check
   * is the code's part before the dot; a finding from before codes keeps its check).
   */
  briefFinding(finding: Finding): unknown {
    this.references.written(finding);
    if (typeof finding.code !== 'string') return { check: finding.check, status: finding.status, subject: finding.subject };
    return { code: finding.code, status: finding.status, subject: finding.subject };
  }

  /** A finding that needs attention: its texts by key, its reference when it is not its check's. */
  finding(finding: Finding): unknown {
    const written: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(this.references.written(finding))) {
      if (field === 'message') written.messageKey = this.texts.keyOf(value as string);
      else if (field === 'remediation') written.remediationKey = this.texts.keyOf(value as string);
      else written[field] = value;
    }
    return written;
  }

  observations(observations: TargetObservations): unknown {
    const usualResolver = observations.resolvers[0];
    return {
      ...observations,
      dns: observations.dns.map((query) => queryForDocument(query, usualResolver)),
      tls: observations.tls.map((probe) => this.probe(probe)),
      ...(observations.revocation ? { revocation: this.revocation(observations.revocation) } : {}),
      ...(observations.authoritative ? { authoritative: authoritativeForDocument(observations.authoritative) } : {}),
    };
  }

  target(target: TargetResult): unknown {
    return {
      ...target,
      observations: this.observations(target.observations),
      findings: target.findings.map((finding) => (finding.status === 'pass' || finding.status === 'info' ? this.briefFinding(finding) : this.finding(finding))),
    };
  }
}

/** A top-level member holding a map, one item per line. */
function* tableLines(key: string, items: Iterable<[string, unknown]>, separator: string): Generator<string> {
  let first = true;
  for (const [itemKey, item] of items) {
    yield `${first ? `  ${JSON.stringify(key)}: {\n` : ',\n'}    ${JSON.stringify(itemKey)}: ${JSON.stringify(item)}`;
    first = false;
  }
  yield first ? `  ${JSON.stringify(key)}: {}${separator}` : `\n  }${separator}`;
}

/**
 * The document, one top-level member a line, and one target (then one table item) a line,
 * written a target at a time: a batch of thousands of targets is tens of megabytes, and as a
 * single string it would double the run's memory. The tables come right after the targets, as
 * writing the targets fills them.
 */
export function* jsonChunks(result: RunResult): Generator<string> {
  const tables = new DocumentTables();
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
        yield `    ${JSON.stringify(tables.target(target))}${targetIndex < targets.length - 1 ? ',' : ''}\n`;
      }
      yield '  ],\n';
    }
    // Revocations first: writing them names certificates and bodies.
    const revocations = [...tables.revocations.entries()];
    yield* tableLines('certificates', tables.certificates.entries(), ',\n');
    yield* tableLines('revocations', revocations, ',\n');
    yield* tableLines('revocationBodies', tables.bodies.entries(), ',\n');
    yield* tableLines('cipherProbes', tables.cipherProbes.entries(), ',\n');
    yield* tableLines('legacyProbes', tables.legacyProbes.entries(), ',\n');
    yield* tableLines('texts', tables.texts.entries(), ',\n');
    yield* tableLines('references', tables.references.entries(), separator);
  }
  yield '}\n';
}

/** A document of a version fedcheck reads, as JSON.parse gives it (and the schema accepted it). */
export type SavedDocument = Omit<RunResult, 'schemaVersion'> & {
  schemaVersion: 1 | 2 | 3;
  certificates?: Record<string, CertificateInfo>;
  revocations?: Record<string, CertificateRevocation>;
  revocationBodies?: Record<string, string>;
  cipherProbes?: Record<string, CipherSuiteProbes>;
  legacyProbes?: Record<string, LegacyProtocolProbe[]>;
  texts?: Record<string, string>;
  references?: Record<string, string>;
};

/** Where a document that passed the schema still does not hold together: a key naming nothing. */
export class DocumentError extends Error {
  override name = 'DocumentError';
}

/**
 * The result in memory from a saved document: each chain holds its certificates, one object per
 * certificate however many chains it is in, and each finding its reference and texts. Versions 2
 * and 3 name the certificates by key; version 1 repeats them, and equal copies are merged, so a
 * replayed batch weighs what a fresh run does. A passing finding of versions 2 and 3 comes back
 * without message or data, and so does an info finding of version 3 (re-judge the observations,
 * as --replay does, to have them).
 */
export function resultFromDocument(saved: SavedDocument): RunResult {
  const {
    certificates: storedCertificates,
    revocations: storedRevocations,
    revocationBodies: storedBodies,
    cipherProbes: storedCipherProbes,
    legacyProbes: storedLegacyProbes,
    texts: storedTexts,
    references: storedReferences,
    ...document
  } = saved;
  const version = saved.schemaVersion;
  const byKey = new Map(Object.entries(storedCertificates ?? {}));
  const bodies = new Map(Object.entries(storedBodies ?? {}));
  const cipherProbes = new Map(Object.entries(storedCipherProbes ?? {}));
  const legacyProbes = new Map(Object.entries(storedLegacyProbes ?? {}));
  const texts = new Map(Object.entries(storedTexts ?? {}));
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
      if (version === 1) {
        if (typeof entry !== 'object' || entry === null) throw new DocumentError(`${where}.chain[${index}] is not a certificate (a version 1 report holds them in the chain)`);
        return shared(entry as CertificateInfo);
      }
      const certificate = typeof entry === 'string' ? byKey.get(entry) : undefined;
      if (!certificate) throw new DocumentError(`${where}.chain[${index}] names no certificate of the report's "certificates"`);
      return certificate;
    });
  // Written by versions 2 and 3 only: the issuer and the bodies by key.
  const revocationEntryOf = (entry: CertificateRevocation, at: string): CertificateRevocation => {
    const sourceOf = (written: RevocationSource & { bodyKey?: string }, sourceAt: string): RevocationSource => {
      const { bodyKey, ...source } = written;
      if (bodyKey === undefined) return source;
      const body = bodies.get(bodyKey);
      if (body === undefined) throw new DocumentError(`${sourceAt}.bodyKey names no body of the report's "revocationBodies"`);
      return { ...source, body };
    };
    const issuerKey = entry.issuer?.certificate as unknown;
    const issuer = typeof issuerKey === 'string' ? byKey.get(issuerKey) : undefined;
    if (entry.issuer && !issuer) throw new DocumentError(`${at}.issuer.certificate names no certificate of the report's "certificates"`);
    return {
      ...entry,
      ...(entry.issuer && issuer ? { issuer: { source: entry.issuer.source, certificate: issuer } } : {}),
      crls: entry.crls.map((source, sourceIndex) => sourceOf(source, `${at}.crls[${sourceIndex}]`)),
      ocsp: entry.ocsp.map((source, sourceIndex) => sourceOf(source, `${at}.ocsp[${sourceIndex}]`)),
    };
  };
  // Version 3's entries, each read once, whatever number of targets name it.
  const revocations = new Map<string, CertificateRevocation>();
  const storedRevocationEntries = new Map(Object.entries(storedRevocations ?? {}));
  const revocationByKey = (key: unknown, where: string): CertificateRevocation => {
    const known = typeof key === 'string' ? revocations.get(key) : undefined;
    if (known) return known;
    const stored = typeof key === 'string' ? storedRevocationEntries.get(key) : undefined;
    if (!stored) throw new DocumentError(`${where} names no entry of the report's "revocations"`);
    const entry = revocationEntryOf(stored, `revocations[${JSON.stringify(key)}]`);
    revocations.set(key as string, entry);
    return entry;
  };
  const revocationOf = (revocation: RevocationObservations, where: string): RevocationObservations => ({
    ...revocation,
    certificates: revocation.certificates.map((entry, index) =>
      version === 3 ? revocationByKey(entry, `${where}.certificates[${index}]`) : revocationEntryOf(entry, `${where}.certificates[${index}]`),
    ),
  });
  const probeOf = (probe: TlsProbeObservation, where: string): TlsProbeObservation => {
    const {
      stapledOcspKey,
      ciphers: writtenCiphers,
      legacyProtocols: writtenLegacy,
      ...read
    } = probe as Omit<TlsProbeObservation, 'ciphers' | 'legacyProtocols'> & {
      stapledOcspKey?: string;
      ciphers?: CipherSuiteProbes | string;
      legacyProtocols: LegacyProtocolProbe[] | string;
    };
    const legacyProtocols = typeof writtenLegacy === 'string' ? legacyProbes.get(writtenLegacy) : writtenLegacy;
    if (legacyProtocols === undefined) throw new DocumentError(`${where}.legacyProtocols names no probe of the report's "legacyProbes"`);
    const stapledOcsp = stapledOcspKey === undefined ? undefined : bodies.get(stapledOcspKey);
    if (stapledOcspKey !== undefined && stapledOcsp === undefined) throw new DocumentError(`${where}.stapledOcspKey names no body of the report's "revocationBodies"`);
    const ciphers = typeof writtenCiphers === 'string' ? cipherProbes.get(writtenCiphers) : writtenCiphers;
    if (typeof writtenCiphers === 'string' && ciphers === undefined) throw new DocumentError(`${where}.ciphers names no probe of the report's "cipherProbes"`);
    return { ...read, chain: chainOf(probe, where), legacyProtocols, ...(ciphers !== undefined ? { ciphers } : {}), ...(stapledOcsp !== undefined ? { stapledOcsp } : {}) };
  };
  const observationsOf = (observations: TargetObservations, where: string): TargetObservations => {
    const usualResolver = observations.resolvers[0];
    const queriesOf = (queries: DnsQueryObservation[], resolver: string | undefined, at: string) =>
      version === 3 ? queries.map((query, index) => queryFromDocument(query as unknown as WrittenQuery, resolver, `${at}[${index}]`)) : queries;
    return {
      ...observations,
      dns: queriesOf(observations.dns, usualResolver, `${where}.dns`),
      tls: observations.tls.map((probe, probeIndex) => probeOf(probe, `${where}.tls[${probeIndex}]`)),
      ...(observations.revocation ? { revocation: revocationOf(observations.revocation, `${where}.revocation`) } : {}),
      ...(observations.authoritative
        ? {
            authoritative:
              version === 3
                ? authoritativeFromDocument(observations.authoritative, `${where}.authoritative`)
                : observations.authoritative,
          }
        : {}),
    };
  };
  const textOf = (key: unknown, where: string): string => {
    const text = typeof key === 'string' ? texts.get(key) : undefined;
    if (text === undefined) throw new DocumentError(`${where} names no text of the report's "texts"`);
    return text;
  };
  const findingOf = (written: Finding, where: string): Finding => {
    const { messageKey, remediationKey, ...finding } = written as Finding & { messageKey?: string; remediationKey?: string };
    // Version 3 writes a pass or an info finding as its code, status and subject: the check is the code's part before the dot.
    const check = finding.check ?? finding.code.slice(0, finding.code.indexOf('.'));
    const reference = finding.reference ?? references.get(check);
    return {
      ...finding,
      check,
      message: messageKey !== undefined ? textOf(messageKey, `${where}.messageKey`) : (finding.message ?? ''),
      ...(remediationKey !== undefined ? { remediation: textOf(remediationKey, `${where}.remediationKey`) } : {}),
      ...(reference !== undefined ? { reference } : {}),
    };
  };
  return {
    ...document,
    schemaVersion: SCHEMA_VERSION,
    targets: document.targets.map((target, targetIndex) => {
      const where = `targets[${targetIndex}]`;
      return {
        ...target,
        observations: observationsOf(target.observations, `${where}.observations`),
        findings: target.findings.map((finding, index) => findingOf(finding, `${where}.findings[${index}]`)),
      };
    }),
  };
}
