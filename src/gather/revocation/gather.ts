// Revocation of what the TLS peers sent: for the leaf and every intermediate, each CRL
// distribution point is fetched and each OCSP responder asked, and every answer is read against
// the certificate and its issuer. A stapled OCSP response is read too. Fetches go through the
// run's HttpFetcher, so a URL is fetched once however many peers and domains name it.
import { X509Certificate } from 'node:crypto';
import type { CertificateInfo } from '../../model/observations.js';
import type {
  CertificateRevocation,
  RevocationIssuer,
  RevocationObservations,
  RevocationReading,
  RevocationSource,
  StapledOcspReading,
} from '../../model/revocation.js';
import { parseCertificate, pemToDer } from '../tls/certificate.js';
import { trustAnchors, x509Of } from '../tls/trust.js';
import { readCrl } from './crl.js';
import type { HttpFetchResult, HttpFetcher } from './http.js';

/** Enough for the CRL of a large public CA; the download stops beyond it. */
export const CRL_MAX_BYTES = 16 * 1024 * 1024;
/** An OCSP response is a few kilobytes, with the responder's certificate. */
export const OCSP_MAX_BYTES = 64 * 1024;
/** Bodies up to this size are kept in the report, so --replay can read them again. */
export const KEPT_BODY_LIMIT = 256 * 1024;

/** What revocation needs of one TLS probe: the chain as sent, and a stapled OCSP response. */
export interface PeerChain {
  address: string;
  port: number;
  chain: readonly CertificateInfo[];
  /** base64 of the OCSP response stapled to the handshake. */
  stapledOcsp?: string;
}

export interface RevocationGatherSettings {
  fetcher: HttpFetcher;
  /** --ca certificates (PEM): where the issuer of the last certificate a server sends may be. */
  trustAnchors: readonly string[];
}

type OcspModule = typeof import('./ocsp.js');
let ocspModule: Promise<OcspModule> | undefined;

/** The OCSP reader (PKI.js) is loaded once a certificate names a responder or a server staples a response. */
export function loadOcsp(): Promise<OcspModule> {
  ocspModule ??= import('./ocsp.js');
  return ocspModule;
}

interface Subject {
  info: CertificateInfo;
  der: Buffer;
  issuer?: { observation: RevocationIssuer; der: Buffer };
  stapled: { address: string; port: number; body: Buffer }[];
}

/** What the CRLs and OCSP responders of one certificate said, asked about it with one issuer. */
type Answers = Pick<CertificateRevocation, 'crls' | 'ocsp'>;

/**
 * The revocation checking of one run. Each certificate's CRLs and OCSP responders are asked, and
 * their answers read, once per run, whichever peers and domains send it (a large CA's CRL costs
 * more to read than to download); stapled responses are read per peer.
 */
export class RevocationChecker {
  private readonly answers = new Map<string, Promise<Answers>>();
  private readonly issuers = new Map<string, Subject['issuer']>();

  constructor(readonly settings: RevocationGatherSettings) {}

  /**
   * Starts asking about the certificates of these chains without waiting: a peer's chain is known
   * at the end of its main handshake, well before its other probes end. gather() joins the work.
   */
  start(peers: readonly PeerChain[]): void {
    for (const subject of this.subjectsOf(peers)) void this.answersFor(subject);
  }

  async gather(peers: readonly PeerChain[]): Promise<RevocationObservations> {
    const subjects = this.subjectsOf(peers);
    const certificates = await Promise.all(
      subjects.map(async (subject) => {
        const [answers, stapled] = await Promise.all([this.answersFor(subject), readStapled(subject)]);
        return describeCertificate(subject, answers, stapled);
      }),
    );
    return { certificates };
  }

  private answersFor(subject: Subject): Promise<Answers> {
    // The issuer is part of the key: a chain without the intermediate gets answers that could not be verified.
    const key = `${subject.info.fingerprintSha256}|${subject.issuer?.observation.certificate.fingerprintSha256 ?? ''}`;
    let answers = this.answers.get(key);
    if (!answers) {
      answers = askSources(subject, this.settings.fetcher);
      this.answers.set(key, answers);
    }
    return answers;
  }

  /** Every distinct certificate of the chains that can be revoked (not self-issued), with its issuer. */
  private subjectsOf(peers: readonly PeerChain[]): Subject[] {
    const subjects = new Map<string, Subject>();
    for (const peer of peers) {
      const sent = peer.chain.flatMap((info) => {
        const der = pemToDer(info.pem)[0];
        return der ? [{ info, der }] : [];
      });
      // Every peer of a cluster sends the same chain: its issuers are looked for once per run.
      const chainKey = sent.map((certificate) => certificate.info.fingerprintSha256).join(' ');
      sent.forEach((certificate, index) => {
        if (certificate.info.selfIssued) return;
        let subject = subjects.get(certificate.info.fingerprintSha256);
        if (!subject) {
          const issuerKey = `${certificate.info.fingerprintSha256} in ${chainKey}`;
          if (!this.issuers.has(issuerKey)) {
            this.issuers.set(issuerKey, findIssuer(certificate.der, sent, this.settings.trustAnchors));
          }
          const issuer = this.issuers.get(issuerKey);
          subject = { info: certificate.info, der: certificate.der, stapled: [], ...(issuer ? { issuer } : {}) };
          subjects.set(certificate.info.fingerprintSha256, subject);
        }
        if (index === 0 && peer.stapledOcsp) {
          subject.stapled.push({ address: peer.address, port: peer.port, body: Buffer.from(peer.stapledOcsp, 'base64') });
        }
      });
    }
    return [...subjects.values()];
  }
}

/** The issuer among what the server sent, else among the --ca anchors, else in the system store. */
function findIssuer(der: Buffer, sent: readonly { info: CertificateInfo; der: Buffer }[], extraAnchors: readonly string[]): Subject['issuer'] {
  const certificate = decoded(der);
  if (!certificate) return undefined;
  const issues = (candidate: X509Certificate | undefined): candidate is X509Certificate => {
    try {
      return candidate !== undefined && candidate !== certificate && certificate.checkIssued(candidate) && certificate.verify(candidate.publicKey);
    } catch {
      return false;
    }
  };
  const fromChain = sent.find((candidate) => issues(decoded(candidate.der)));
  if (fromChain) return { observation: { source: 'chain', certificate: fromChain.info }, der: fromChain.der };
  const anchor = (candidate: X509Certificate, source: RevocationIssuer['source']): Subject['issuer'] => ({
    observation: { source, certificate: parseCertificate(candidate.raw) },
    der: candidate.raw,
  });
  // The --ca anchors alone first: the system store costs more to parse than a lab run.
  const fromCa = extraAnchors.flatMap((pem) => pemToDer(pem).map(decoded)).find(issues);
  if (fromCa) return anchor(fromCa, 'ca');
  const fromSystem = trustAnchors([]).find((candidate) => candidate.source === 'system' && issues(candidate.certificate));
  return fromSystem ? anchor(fromSystem.certificate, 'system') : undefined;
}

/** The certificate as Node reads it, shared with the trust assessment's cache; undefined when unreadable. */
function decoded(der: Buffer): X509Certificate | undefined {
  try {
    return x509Of(der);
  } catch {
    return undefined;
  }
}

/** Fetches every CRL and asks every OCSP responder of the certificate, and reads what comes back. */
async function askSources(subject: Subject, fetcher: HttpFetcher): Promise<Answers> {
  const { info, issuer } = subject;
  const pair = { certificate: subject.der, ...(issuer ? { issuer: issuer.der } : {}) };
  const crls = Promise.all(
    info.crlDistributionPoints.map(async (url) => {
      const result = await fetcher.fetch({ url, method: 'GET', accept: 'application/pkix-crl', maxBytes: CRL_MAX_BYTES });
      return sourceOf(result, result.body ? readCrl(result.body, pair) : undefined);
    }),
  );
  const ocsp = Promise.all(
    ocspRespondersOf(info).map(async (url): Promise<RevocationSource> => {
      if (!issuer) {
        return { url, method: 'POST', outcome: 'not-asked', durationMs: 0, error: "the certificate's issuer is unknown, so no OCSP request can be made" };
      }
      const read = await loadOcsp();
      const result = await fetcher.fetch({
        url,
        method: 'POST',
        body: read.buildOcspRequest({ certificate: subject.der, issuer: issuer.der }),
        contentType: 'application/ocsp-request',
        accept: 'application/ocsp-response',
        maxBytes: OCSP_MAX_BYTES,
      });
      return sourceOf(result, result.body ? read.readOcspResponse(result.body, pair) : undefined);
    }),
  );
  return { crls: await crls, ocsp: await ocsp };
}

/** The OCSP responses the peers stapled for this certificate, read against it and its issuer. */
function readStapled(subject: Subject): Promise<StapledOcspReading[]> {
  const pair = { certificate: subject.der, ...(subject.issuer ? { issuer: subject.issuer.der } : {}) };
  return Promise.all(
    subject.stapled.map(async ({ address, port, body }) => ({ address, port, reading: (await loadOcsp()).readOcspResponse(body, pair) })),
  );
}

function describeCertificate(subject: Subject, answers: Answers, stapled: StapledOcspReading[]): CertificateRevocation {
  const { info, issuer } = subject;
  return {
    fingerprintSha256: info.fingerprintSha256,
    subject: info.subject,
    serialNumber: info.serialNumber,
    ...(issuer ? { issuer: issuer.observation } : {}),
    crlDistributionPoints: info.crlDistributionPoints,
    ocspResponders: ocspRespondersOf(info),
    crls: answers.crls,
    ocsp: answers.ocsp,
    stapled,
  };
}

/** Reports of older versions have no ocspResponders in their certificates. */
function ocspRespondersOf(info: CertificateInfo): string[] {
  return info.ocspResponders ?? [];
}

function sourceOf(result: HttpFetchResult, reading: RevocationReading | undefined): RevocationSource {
  const source: RevocationSource = { ...result.fetch };
  if (result.body && result.body.length <= KEPT_BODY_LIMIT) source.body = result.body.toString('base64');
  if (reading) source.reading = reading;
  return source;
}

/** What --replay needs to read kept responses again: the certificates as the peers sent them. */
export interface SentCertificates {
  address: string;
  port: number;
  chain: readonly { pem: string; fingerprintSha256: string }[];
  stapledOcsp?: string;
}

/**
 * The observations with every kept body read again by this version's readers: a report from an
 * older version is judged by today's reading of the same bytes. Bodies too large to keep keep the
 * reading made when they were fetched.
 */
export async function rereadRevocation(revocation: RevocationObservations, peers: readonly SentCertificates[]): Promise<RevocationObservations> {
  const needsOcsp =
    revocation.certificates.some((entry) => entry.ocsp.some((source) => source.body !== undefined) || entry.stapled.length > 0);
  const ocsp = needsOcsp ? await loadOcsp() : undefined;
  const certificates = new Map<string, Uint8Array>();
  for (const peer of peers) {
    for (const certificate of peer.chain) {
      const der = pemToDer(certificate.pem)[0];
      if (der) certificates.set(certificate.fingerprintSha256, der);
    }
  }
  return {
    ...revocation,
    certificates: revocation.certificates.map((entry) => {
      const certificate = certificates.get(entry.fingerprintSha256);
      if (!certificate) return entry;
      const issuer = entry.issuer ? pemToDer(entry.issuer.certificate.pem)[0] : undefined;
      const pair = { certificate, ...(issuer ? { issuer } : {}) };
      const reread = (source: RevocationSource, read: ((body: Uint8Array, subject: typeof pair) => RevocationReading) | undefined): RevocationSource =>
        source.body === undefined || !read ? source : { ...source, reading: read(Buffer.from(source.body, 'base64'), pair) };
      const stapled = entry.stapled.map((staple) => {
        const body = peers.find(
          (peer) => peer.address === staple.address && peer.port === staple.port && peer.chain[0]?.fingerprintSha256 === entry.fingerprintSha256,
        )?.stapledOcsp;
        return body === undefined || !ocsp ? staple : { ...staple, reading: ocsp.readOcspResponse(Buffer.from(body, 'base64'), pair) };
      });
      return {
        ...entry,
        crls: entry.crls.map((source) => reread(source, readCrl)),
        ocsp: entry.ocsp.map((source) => reread(source, ocsp?.readOcspResponse)),
        stapled,
      };
    }),
  };
}
