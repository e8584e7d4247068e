// Hand-made RunResults for the renderer tests: findings, targets and results, and the scenarios
// the renderers must handle, built on the observation builders every test shares
// (test/helpers/builders). Everything is typed against the model, so a scenario with a misspelt
// or extra field does not compile.
import { SCHEMA_VERSION, worstStatus, type Finding, type RunResult, type Status, type TargetResult } from '../../src/model/findings.js';
import type { CertificateInfo, DnsQueryObservation, DnsQueryType, DnsRecord, TlsProbeObservation, TrustVerdict } from '../../src/model/observations.js';
import { sipFederationSrvName } from '../../src/model/dns.js';
import {
  RESOLVER,
  addressQuery as addressAnswer,
  noResponse,
  nodata,
  nxdomain,
  servfail,
  srv,
  srvQuery as srvAnswer,
  type QueryOptions,
  type SrvSpec,
} from '../helpers/builders/dns.js';
import { daysFromNow, fingerprint, intermediateCertificate, leafCertificate, tlsProbe, unconnectedProbe } from '../helpers/builders/tls.js';
import { OLD_SERIAL, authoritativeTarget } from '../helpers/builders/authoritative.js';
import type { AuthoritativeObservations } from '../../src/model/authoritative.js';
import type { RevocationObservations } from '../../src/model/revocation.js';

export { RESOLVER, srv };
export const STARTED_AT = '2025-03-01T08:00:00.000Z';
const START = new Date(STARTED_AT);

/** The ISO time `days` days after the run started (negative: before). */
export function daysAfterStart(days: number): string {
  return daysFromNow(days, START);
}

/** The TTL of the address and alias records in these results (the SRV records keep the builders' 3600). */
const ADDRESS_TTL = 300;

// ---------------------------------------------------------------------------------------------
// Observations, in the terms the renderers show

/** The federation SRV answer of `domain`, from the given resolver (default RESOLVER). */
export function srvQuery(domain: string, records: SrvSpec[], options: QueryOptions = {}): DnsQueryObservation {
  return srvAnswer(sipFederationSrvName(domain), records, options);
}

/** A/AAAA answers with the renderers' TTL; with `cname`, the name is an alias of it. */
export function addressQuery(
  name: string,
  type: 'A' | 'AAAA',
  addresses: string[],
  options: Omit<QueryOptions, 'cnames'> & { cname?: string } = {},
): DnsQueryObservation {
  const { cname, ...rest } = options;
  return addressAnswer(name, type, addresses, {
    ttl: ADDRESS_TTL,
    ...(cname ? { cnames: [cname], cnameTtl: ADDRESS_TTL } : {}),
    ...rest,
  });
}

/** A question that got no usable answer, in one of the ways a resolver can fail. */
export function failedQuery(
  name: string,
  type: DnsQueryType,
  failure: 'nodata' | 'nxdomain' | 'servfail',
  options: QueryOptions = {},
): DnsQueryObservation {
  const builders = { nodata, nxdomain, servfail };
  return builders[failure](name, type, options);
}

export interface CertificateSpec {
  daysLeft: number;
  issuerCN?: string;
  sans?: string[];
  validForDays?: number;
}

/** A leaf for `commonName` that expires `daysLeft` days after the run started. */
/** A query nothing answered within the 2000 ms per-query timeout. */
function noAnswer(name: string, type: DnsQueryObservation['type']): DnsQueryObservation {
  return noResponse(name, type, 'timeout', { message: 'no response within 2000 ms' });
}

export function certificate(commonName: string, spec: CertificateSpec, overrides: Partial<CertificateInfo> = {}): CertificateInfo {
  const issuerCN = spec.issuerCN ?? 'Example Issuing CA G2';
  return leafCertificate({
    subject: `CN=${commonName}, O=Example Corp`,
    subjectCN: commonName,
    issuer: `CN=${issuerCN}, O=Example Trust`,
    issuerCN,
    serialNumber: fingerprint(commonName).replace(/:/g, '').slice(0, 32),
    notBefore: daysFromNow(spec.daysLeft - (spec.validForDays ?? 365), START),
    notAfter: daysFromNow(spec.daysLeft, START),
    sanDnsNames: spec.sans ?? [commonName],
    crlDistributionPoints: ['http://crl.example.net/issuing-g2.crl'],
    selfIssued: issuerCN === commonName,
    ...overrides,
  });
}

export function issuingCa(daysLeft: number): CertificateInfo {
  return intermediateCertificate({
    subject: 'CN=Example Issuing CA G2, O=Example Trust',
    issuer: 'CN=Example Root CA, O=Example Trust',
    notBefore: daysFromNow(daysLeft - 3650, START),
    notAfter: daysFromNow(daysLeft, START),
  });
}

export interface ProbeSpec {
  port?: number;
  purpose?: TlsProbeObservation['purpose'];
  protocol?: string;
  handshakeMs?: number;
  chain?: CertificateInfo[];
  verdict?: TrustVerdict;
}

/** A probe of `host` at `address` whose handshake completed. */
export function peerProbe(host: string, address: string, spec: ProbeSpec = {}): TlsProbeObservation {
  const verdict = spec.verdict ?? 'trusted';
  return tlsProbe({
    host,
    address,
    port: spec.port ?? 5061,
    family: address.includes(':') ? 6 : 4,
    purpose: spec.purpose ?? 'federation',
    connect: { outcome: 'connected', durationMs: 3 },
    handshake: { outcome: 'ok', durationMs: spec.handshakeMs ?? 23, protocol: spec.protocol ?? 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
    chain: spec.chain ?? [certificate(host, { daysLeft: 87 }), issuingCa(2000)],
    trust: { verdict, detail: verdict === 'trusted' ? 'chains to a trusted root' : `the chain is ${verdict}` },
    clientAuth: { requested: 'requested' },
  });
}

export function refusedProbe(host: string, address: string, port = 5061): TlsProbeObservation {
  return unconnectedProbe('refused', {
    host,
    address,
    port,
    family: address.includes(':') ? 6 : 4,
    connect: { outcome: 'refused', durationMs: 2, error: `connect ECONNREFUSED ${address}:${port}` },
  });
}

function plaintextProbe(host: string, address: string, sample: string): TlsProbeObservation {
  return {
    ...peerProbe(host, address),
    handshake: { outcome: 'plaintext', durationMs: 41, plaintextSample: sample },
    chain: [],
    trust: { verdict: 'no-certificate', detail: 'the server sent no certificate' },
    legacyProtocols: [],
    clientAuth: { requested: 'unknown' },
  };
}

// ---------------------------------------------------------------------------------------------
// Findings and results

/** A finding as a check makes it; its code defaults to `<check>.<status>`. */
export function finding(
  check: string,
  status: Status,
  subject: string,
  message: string,
  extra: Partial<Finding> = {},
): Finding {
  const remediation =
    status === 'warn' || status === 'fail' ? { remediation: `Correct ${check} for ${subject} as described.` } : {};
  return { check, code: `${check}.${status}`, status, subject, message, ...remediation, reference: 'fedcheck DESIGN §2', ...extra };
}

export interface TargetSpec {
  dns: DnsQueryObservation[];
  tls: TlsProbeObservation[];
  findings: Finding[];
  deadlineExceeded?: boolean;
}

export function target(domain: string, role: 'local' | 'partner', spec: TargetSpec): TargetResult {
  return {
    domain,
    role,
    status: worstStatus(spec.findings.map((f) => f.status)),
    observations: {
      domain,
      role,
      resolvers: [RESOLVER],
      dns: spec.dns,
      tls: spec.tls,
      ...(spec.deadlineExceeded ? { deadlineExceeded: true } : {}),
    },
    findings: spec.findings,
  };
}

export function runResult(targets: TargetResult[], options: Record<string, unknown> = {}): RunResult {
  const findings = targets.flatMap((t) => t.findings);
  const summary = { pass: 0, info: 0, warn: 0, fail: 0, error: 0, skip: 0 };
  for (const f of findings) summary[f.status] += 1;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'fedcheck', version: '0.1.0' },
    startedAt: STARTED_AT,
    durationMs: 1234,
    status: worstStatus(findings.map((f) => f.status)),
    options: {
      domains: targets.filter((t) => t.role === 'local').map((t) => t.domain),
      partners: targets.filter((t) => t.role === 'partner').map((t) => t.domain),
      resolvers: [RESOLVER],
      internalResolvers: [],
      impPort: 5062,
      caFiles: [],
      timeoutMs: 10000,
      warnDays: 30,
      critDays: 14,
      concurrency: 32,
      sipOptions: false,
      strict: false,
      checkOverrides: {},
      ...options,
    },
    targets,
    summary,
  };
}

// ---------------------------------------------------------------------------------------------
// Scenarios

const LOCAL = 'ciscoexample.com';
const PARTNER = 'msexample.com';
const SRV_NAME = sipFederationSrvName(LOCAL);

/** Everything in order: one SRV record in the domain's namespace, one peer, a good certificate. */
export function cleanPassTarget(): TargetResult {
  const host = `sip.${LOCAL}`;
  return target(LOCAL, 'local', {
    dns: [
      srvQuery(LOCAL, [srv(10, 100, 5061, host)]),
      addressQuery(host, 'A', ['192.0.2.10']),
      nodata(host, 'AAAA'),
    ],
    tls: [peerProbe(host, '192.0.2.10')],
    findings: [
      finding('srv-present', 'pass', SRV_NAME, `${SRV_NAME} has 1 SRV record.`),
      finding('srv-single', 'pass', SRV_NAME, 'Exactly one SRV record: Microsoft edges use it.'),
      finding('srv-port', 'pass', SRV_NAME, 'The selected record uses port 5061.'),
      finding('srv-target-namespace', 'pass', host, `${host} is in the SIP domain's namespace.`),
      finding('tls-connect', 'pass', '192.0.2.10:5061', 'TCP connection established in 3 ms.'),
      finding('tls-version', 'pass', '192.0.2.10:5061', 'Negotiated TLSv1.3; TLS 1.0 and 1.1 are refused.'),
      finding('cert-trust', 'pass', '192.0.2.10:5061', 'The chain validates to a trusted root.'),
      finding('cert-validity', 'pass', '192.0.2.10:5061', 'Valid for 87 more days.'),
    ],
  });
}

export function cleanPass(): RunResult {
  return runResult([cleanPassTarget()]);
}

/**
 * Two SRV records; the one Microsoft selects (lowest priority) points outside the domain, at a
 * name that is itself an alias with two peers behind it.
 */
export function twoSrvOutOfNamespaceTarget(): TargetResult {
  const outside = 'edge.example.net';
  const canonical = 'edge-lb.example.net';
  return target(LOCAL, 'local', {
    dns: [
      srvQuery(LOCAL, [srv(20, 100, 5061, `sip.${LOCAL}`), srv(10, 100, 5061, outside)]),
      addressQuery(outside, 'A', ['198.51.100.20', '198.51.100.21'], { cname: canonical }),
      addressQuery(outside, 'AAAA', ['2001:db8::20'], { cname: canonical }),
    ],
    tls: [
      peerProbe(outside, '198.51.100.20', { chain: [certificate(outside, { daysLeft: 200 }), issuingCa(2000)] }),
      peerProbe(outside, '198.51.100.21', { chain: [certificate(outside, { daysLeft: 200 }), issuingCa(2000)] }),
      peerProbe(outside, '2001:db8::20', { chain: [certificate(outside, { daysLeft: 200 }), issuingCa(2000)] }),
    ],
    findings: [
      finding('srv-present', 'pass', SRV_NAME, `${SRV_NAME} has 2 SRV records.`),
      finding(
        'srv-single',
        'warn',
        SRV_NAME,
        `${SRV_NAME} has 2 SRV records; Microsoft edges use only ${outside} (lowest priority (10)) and never fail over.`,
        { remediation: `Delete the record for sip.${LOCAL} or make it the only one.` },
      ),
      finding(
        'srv-target-namespace',
        'fail',
        outside,
        `The selected target ${outside} is outside ${LOCAL}: Microsoft logs ms-diagnostics 1009.`,
        { remediation: `Point the SRV record at a host in ${LOCAL}, e.g. sip.${LOCAL}.` },
      ),
      finding('srv-target-alias', 'warn', outside, `${outside} is an alias (CNAME) of ${canonical}.`),
      finding('cert-name', 'pass', '198.51.100.20:5061', `${outside} is in the SAN.`),
    ],
  });
}

export function twoSrvOutOfNamespace(): RunResult {
  return runResult([twoSrvOutOfNamespaceTarget()]);
}

/**
 * Two SRV records tie for first place (and a backup Microsoft never uses): both targets are
 * resolved and probed, the one behind sip2 with an expired certificate.
 */
export function tiedSrvRecords(): RunResult {
  const [sip1, sip2] = [`sip1.${LOCAL}`, `sip2.${LOCAL}`];
  return runResult([
    target(LOCAL, 'local', {
      dns: [
        srvQuery(LOCAL, [srv(10, 10, 5061, sip2), srv(20, 10, 5061, `backup.${LOCAL}`), srv(10, 10, 5061, sip1)]),
        addressQuery(sip1, 'A', ['192.0.2.10']),
        addressQuery(sip2, 'A', ['192.0.2.20']),
      ],
      tls: [
        peerProbe(sip1, '192.0.2.10', { chain: [certificate(sip1, { daysLeft: 200 }), issuingCa(2000)] }),
        peerProbe(sip2, '192.0.2.20', { chain: [certificate(sip2, { daysLeft: -3 }), issuingCa(2000)] }),
      ],
      findings: [
        finding('srv-single', 'warn', SRV_NAME, `${SRV_NAME} has 3 SRV records; Microsoft may select ${sip1} or ${sip2}.`, {
          remediation: `Keep only the record for ${sip1}.`,
        }),
        finding('srv-target-namespace', 'pass', sip1, `${sip1} is directly in ${LOCAL}.`),
        finding('srv-target-namespace', 'pass', sip2, `${sip2} is directly in ${LOCAL}.`),
        finding('cert-validity', 'pass', '192.0.2.10:5061', 'Valid for 200 days.'),
        finding('cert-validity', 'fail', '192.0.2.20:5061', 'The leaf expired 3 days ago.', { remediation: `Renew the certificate for ${sip2}.` }),
      ],
    }),
  ]);
}

/** The local SRV lookup fails at the resolver (SERVFAIL after a timeout); the partner's SRV does not exist. */
export function dnsErrors(): RunResult {
  const partnerSrv = sipFederationSrvName(PARTNER);
  return runResult([
    target(LOCAL, 'local', {
      dns: [servfail(SRV_NAME, 'SRV', { durationMs: 48 })],
      tls: [],
      findings: [
        finding('srv-present', 'error', SRV_NAME, `${SRV_NAME} could not be resolved: the server answered SERVFAIL at ${RESOLVER}`),
        finding('srv-single', 'skip', SRV_NAME, 'No SRV records to judge.'),
        finding('tls-connect', 'skip', SRV_NAME, 'No federation peer to connect to.'),
      ],
    }),
    target(PARTNER, 'partner', {
      dns: [nxdomain(partnerSrv, 'SRV')],
      tls: [],
      findings: [
        finding('srv-present', 'fail', partnerSrv, `${partnerSrv} does not exist (NXDOMAIN) at ${RESOLVER}`, {
          remediation: `Ask ${PARTNER} to publish ${partnerSrv}.`,
        }),
        finding('tls-connect', 'skip', partnerSrv, 'No federation peer to connect to.'),
      ],
    }),
    target('unreachable.example', 'local', {
      dns: [noAnswer(sipFederationSrvName('unreachable.example'), 'SRV')],
      tls: [],
      deadlineExceeded: true,
      findings: [
        finding('srv-present', 'error', sipFederationSrvName('unreachable.example'), 'No answer within 2000 ms.'),
      ],
    }),
  ]);
}

/**
 * One target, five peers: a good one, a self-signed certificate about to expire, an expired
 * certificate from an unknown root that still speaks TLS 1.0, a refused connection and a peer
 * answering in plaintext.
 */
export function mixedCertificatesTarget(): TargetResult {
  const host = `sip.${LOCAL}`;
  const selfSigned = certificate(
    host,
    { daysLeft: 10, issuerCN: host, validForDays: 30 },
    { crlDistributionPoints: [] },
  );
  const expired = certificate(host, { daysLeft: -3, issuerCN: 'Corp Internal CA' });
  const legacyPeer: TlsProbeObservation = {
    ...peerProbe(host, '192.0.2.12', {
      protocol: 'TLSv1.2',
      handshakeMs: 57,
      chain: [expired],
      verdict: 'untrusted-root',
    }),
    legacyProtocols: [
      { protocol: 'TLSv1', result: 'accepted' },
      { protocol: 'TLSv1.1', result: 'accepted' },
    ],
  };
  return target(LOCAL, 'local', {
    dns: [
      srvQuery(LOCAL, [srv(10, 100, 5061, host)]),
      addressQuery(host, 'A', ['192.0.2.10', '192.0.2.11', '192.0.2.12', '192.0.2.13'], { durationMs: 31 }),
      addressQuery(host, 'AAAA', ['2001:db8::10'], { durationMs: 17 }),
    ],
    tls: [
      peerProbe(host, '192.0.2.10'),
      peerProbe(host, '192.0.2.11', { handshakeMs: 12.6, chain: [selfSigned], verdict: 'self-signed' }),
      legacyPeer,
      refusedProbe(host, '192.0.2.13'),
      plaintextProbe(host, '2001:db8::10', 'HTTP/1.1 400 Bad Request'),
    ],
    findings: [
      finding('tls-connect', 'pass', '192.0.2.10:5061', 'Connected.'),
      finding('tls-connect', 'fail', '192.0.2.13:5061', 'Connection refused: nothing listens on 5061.'),
      finding('tls-handshake', 'fail', '[2001:db8::10]:5061', 'The server answered in plaintext: HTTP/1.1 400 Bad Request'),
      finding('tls-version', 'warn', '192.0.2.12:5061', 'Still accepts TLSv1 and TLSv1.1.'),
      finding('cert-trust', 'fail', '192.0.2.11:5061', 'The certificate is self-signed.'),
      finding('cert-trust', 'fail', '192.0.2.12:5061', 'The chain ends at an untrusted root (Corp Internal CA).'),
      finding('cert-validity', 'fail', '192.0.2.11:5061', 'The leaf certificate expires in 10 days.'),
      finding('cert-validity', 'fail', '192.0.2.12:5061', 'The leaf certificate expired 3 days ago.'),
      finding('cert-revocation', 'warn', '192.0.2.11:5061', 'The leaf has neither a CRL distribution point nor an OCSP responder.'),
      finding('cert-consistent', 'warn', host, 'The peers present 3 different certificates.'),
    ],
  });
}

export function mixedCertificates(): RunResult {
  return runResult([mixedCertificatesTarget()]);
}

/** The SRV target has no address at all, so nothing was probed. */
export function noTlsProbes(): RunResult {
  const host = `sip.${LOCAL}`;
  return runResult([
    target(LOCAL, 'local', {
      dns: [
        srvQuery(LOCAL, [srv(10, 100, 5061, host)]),
        nxdomain(host, 'A'),
        nxdomain(host, 'AAAA'),
      ],
      tls: [],
      findings: [
        finding('srv-present', 'pass', SRV_NAME, `${SRV_NAME} has 1 SRV record.`),
        finding('srv-target-address', 'fail', host, `${host} does not exist (NXDOMAIN) at ${RESOLVER}`),
        finding('tls-connect', 'skip', host, `No address for ${host}.`),
      ],
    }),
  ]);
}

/** A Microsoft 365 partner, recognised by its sipfed.online.lync.com target. */
export function microsoft365PartnerTarget(): TargetResult {
  const host = 'sipfed.online.lync.com';
  const partnerSrv = sipFederationSrvName(PARTNER);
  return target(PARTNER, 'partner', {
    dns: [
      srvQuery(PARTNER, [srv(100, 1, 5061, host)]),
      addressQuery(host, 'A', ['52.112.0.10']),
      nodata(host, 'AAAA'),
    ],
    tls: [
      peerProbe(host, '52.112.0.10', {
        chain: [certificate('sipfed.online.lync.com', { daysLeft: 150, issuerCN: 'DigiCert Cloud Services CA-1' })],
        handshakeMs: 88,
        protocol: 'TLSv1.2',
      }),
    ],
    findings: [
      finding('srv-present', 'pass', partnerSrv, `${partnerSrv} has 1 SRV record.`),
      finding('srv-target-namespace', 'info', host, `${PARTNER} is hosted by Microsoft 365 (worldwide).`),
      finding('tls-version', 'pass', '52.112.0.10:5061', 'Negotiated TLSv1.2.'),
    ],
  });
}

/** Three domains: two fail, one passes, as a monitoring system would see them. */
export function threeDomains(): RunResult {
  const failing = twoSrvOutOfNamespaceTarget();
  const partner = microsoft365PartnerTarget();
  const second = target('cisco-two.example', 'local', {
    dns: [srvQuery('cisco-two.example', [srv(10, 100, 5061, 'sip.cisco-two.example')])],
    tls: [refusedProbe('sip.cisco-two.example', '203.0.113.7')],
    findings: [finding('tls-connect', 'fail', '203.0.113.7:5061', 'Connection refused.')],
  });
  return runResult([failing, second, partner]);
}

/** Strings a remote server or a careless check could produce: markup, quotes, newlines, control characters. */
export const HOSTILE_MESSAGE =
  'Server said "<b>hello</b>" & \'bye\'\nsecond line | not perfdata = nope\u001b[31mRED\u0007\u0000 and \ud800 lone';

export function hostileStrings(): RunResult {
  const host = `sip.${LOCAL}`;
  const probe = plaintextProbe(host, '192.0.2.10', '\u001b[2J\u001b[HSIP/2.0 200 OK\r\nVia: <x>');
  return runResult([
    target(LOCAL, 'local', {
      dns: [srvQuery(LOCAL, [srv(10, 100, 5061, host)]), addressQuery(host, 'A', ['192.0.2.10'])],
      tls: [
        probe,
        peerProbe(host, '192.0.2.11', {
          chain: [certificate('evil"\\cn\n<x>', { daysLeft: 40 }, { subject: 'CN=evil"\\cn\n<x>, O=\u001b[1mBold' })],
        }),
      ],
      findings: [
        finding('tls-handshake', 'fail', "192.0.2.10:5061 'quoted'=x", HOSTILE_MESSAGE, {
          remediation: 'Replace <plaintext> listener & "restart" it\nthen retry',
        }),
        finding('cert-name', 'warn', 'sub"ject\\with\nnewline', HOSTILE_MESSAGE),
        finding('srv-present', 'pass', SRV_NAME, HOSTILE_MESSAGE),
        finding('srv-single', 'skip', SRV_NAME, HOSTILE_MESSAGE),
        finding('cert-trust', 'error', '192.0.2.11:5061', HOSTILE_MESSAGE),
      ],
    }),
  ]);
}

/** IM and Presence probes next to the federation peer. */
export function withImPresence(): RunResult {
  const base = cleanPassTarget();
  const imp = 'imp1-public.ciscoexample.com';
  const impProbe = peerProbe(imp, '10.1.1.21', {
    port: 5062,
    purpose: 'imp',
    handshakeMs: 9,
    chain: [certificate(imp, { daysLeft: 45 })],
  });
  const withImp: TargetResult = {
    ...base,
    observations: {
      ...base.observations,
      tls: [...base.observations.tls, impProbe],
      internalResolvers: ['10.1.1.53:53'],
    },
    findings: [...base.findings, finding('imp-tls', 'pass', '10.1.1.21:5062', 'TLS 1.3 with a trusted certificate.')],
  };
  return runResult([withImp], { impFqdn: imp });
}

/** Every optional field of the model filled in, so the schema is shown to accept all of them. */
export function everyOptionalField(): RunResult {
  const base = mixedCertificatesTarget();
  const [first, ...rest] = base.observations.tls;
  const fullProbe: TlsProbeObservation = {
    ...first!,
    connect: { ...first!.connect, error: 'none' },
    handshake: {
      outcome: 'client-certificate-required',
      durationMs: 30,
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_128_GCM_SHA256',
      error: 'alert 116',
      alert: 'certificate_required',
      plaintextSample: '',
    },
    trust: { verdict: 'trusted', detail: 'chains to a trusted root', nodeError: 'UNSPECIFIED' },
    legacyProtocols: [
      { protocol: 'TLSv1', result: 'error', detail: 'socket hang up' },
      { protocol: 'TLSv1.1', result: 'not-tested' },
    ],
    clientAuth: {
      requested: 'required',
      presentedCertificate: { subject: 'CN=expe.ciscoexample.com', accepted: false, error: 'bad certificate' },
    },
    chain: [
      certificate(
        'sip.ciscoexample.com',
        { daysLeft: 87 },
        { curve: 'prime256v1', keyType: 'ec', keyBits: 256, parseError: 'CRL DP unreadable', ocspResponders: ['http://ocsp.example.net/'] },
      ),
    ],
    ciphers: {
      microsoftPick: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
      accepted: ['TLS_RSA_WITH_AES_128_GCM_SHA256'],
      refused: ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
      otherPick: 'TLS_RSA_WITH_AES_256_CBC_SHA256',
      error: 'no answer to the ClientHello within 4000 ms',
      handshakes: 3,
    },
    stapledOcsp: 'MAMCAQE=',
    sipOptions: {
      outcome: 'response',
      statusLine: 'SIP/2.0 200 OK',
      statusCode: 200,
      server: 'TANDBERG/4352 (X15.0.2)',
      userAgent: 'fedcheck',
      rttMs: 18,
      error: '',
    },
  };
  const txt: DnsRecord = { name: 'ciscoexample.com', type: 'TXT', ttl: 300, data: ['v=spf1 -all', 'second'] };
  const other: DnsRecord = {
    name: 'ciscoexample.com',
    type: 'OTHER',
    ttl: 300,
    rrtype: 'CAA',
    data: '0 issue "example.net"',
  };
  const ptr: DnsRecord = { name: '10.2.0.192.in-addr.arpa', type: 'PTR', ttl: 300, data: 'sip.ciscoexample.com' };
  const ns: DnsRecord = { name: 'ciscoexample.com', type: 'NS', ttl: 86400, data: 'ns1.example.net' };
  const tcpQuery: DnsQueryObservation = {
    ...addressQuery('sip.ciscoexample.com', 'A', ['192.0.2.10']),
    transport: 'tcp',
    retriedOverTcp: true,
    answers: [txt, other, ptr, ns],
  };
  const target: TargetResult = {
    ...base,
    observations: {
      ...base.observations,
      dns: [...base.observations.dns, tcpQuery, noAnswer('x.ciscoexample.com', 'TXT')],
      tls: [fullProbe, ...rest],
      internalResolvers: ['10.1.1.53:53'],
      authoritative: { ...authoritativeServers(), unaskedAddresses: ['192.0.2.99'] },
      revocation: everyRevocationField(fullProbe),
      deadlineExceeded: true,
    },
    findings: [
      ...base.findings,
      finding('dns-views', 'info', 'ciscoexample.com', 'Both views agree.', {
        remediation: 'Nothing to change.',
        data: { internal: ['192.0.2.10'], nested: { ok: true } },
      }),
    ],
  };
  return runResult([target], {
    impFqdn: 'imp1-public.ciscoexample.com',
    impPublisher: 'cucmpub.ciscoexample.com',
    clientCertificateFile: '/etc/fedcheck/client.pem',
  });
}

/** The revocation of the probe's leaf with every optional field: an issuer, kept bodies, each reading field, a staple. */
function everyRevocationField(probe: TlsProbeObservation): RevocationObservations {
  const leaf = probe.chain[0]!;
  const signer = { subject: 'CN=Example Issuing CA G2, O=Example Trust', notBefore: daysAfterStart(-300), notAfter: daysAfterStart(600) };
  return {
    certificates: [
      {
        fingerprintSha256: leaf.fingerprintSha256,
        subject: leaf.subject,
        serialNumber: leaf.serialNumber,
        issuer: { source: 'ca', certificate: issuingCa(900) },
        crlDistributionPoints: [...leaf.crlDistributionPoints, 'ldap:///CN=Example%20Issuing%20CA%20G2,CN=CDP'],
        ocspResponders: ['http://ocsp.example.net/'],
        crls: [
          {
            url: leaf.crlDistributionPoints[0]!,
            method: 'GET',
            outcome: 'ok',
            httpStatus: 200,
            contentType: 'application/pkix-crl',
            redirects: ['http://crl.example.net/moved.crl'],
            address: '192.0.2.80',
            bytes: 5,
            durationMs: 12,
            body: 'MAMCAQA=',
            reading: { source: 'crl', status: 'good', thisUpdate: daysAfterStart(-1), nextUpdate: daysAfterStart(6), signer: { kind: 'issuer', ...signer }, entries: 0 },
          },
          { url: 'ldap:///CN=Example%20Issuing%20CA%20G2,CN=CDP', method: 'GET', outcome: 'unsupported-scheme', durationMs: 0, error: 'not an http: URL' },
        ],
        ocsp: [
          {
            url: 'http://ocsp.example.net/',
            method: 'POST',
            outcome: 'ok',
            httpStatus: 200,
            bytes: 5,
            durationMs: 20,
            body: 'MAMCAQI=',
            reading: {
              source: 'ocsp',
              problem: { code: 'bad-signature', detail: "the response's signature does not verify with the key of CN=Example OCSP" },
              status: 'revoked',
              revokedAt: daysAfterStart(-2),
              reason: 'keyCompromise',
              thisUpdate: daysAfterStart(-1),
              nextUpdate: daysAfterStart(1),
              producedAt: daysAfterStart(-1),
              signer: { kind: 'delegated-responder', ...signer },
            },
          },
        ],
        stapled: [{ address: probe.address, port: probe.port, reading: { source: 'ocsp', status: 'good', thisUpdate: daysAfterStart(-1) } }],
      },
    ],
  };
}

/**
 * Every shape of result the renderers are tested on, by name: a renderer test runs each of them,
 * so a shape added here is tested in every format.
 */
export const RENDERER_SCENARIOS: Readonly<Record<string, () => RunResult>> = {
  cleanPass,
  twoSrvOutOfNamespace,
  tiedSrvRecords,
  dnsErrors,
  mixedCertificates,
  noTlsProbes,
  threeDomains,
  hostileStrings,
  withImPresence,
  everyOptionalField,
  withChanges: () => withChanges(),
  withoutChanges: () => withoutChanges(),
  empty: () => runResult([]),
};

/**
 * What the four name servers of ciscoexample.com answered: ns1 current, ns2 a stale copy with
 * last year's SRV target, ns3 lame (REFUSED), ns4 silent.
 */
export function authoritativeServers(): AuthoritativeObservations {
  const observations = authoritativeTarget({
    servers: [
      {},
      { serial: OLD_SERIAL, srv: [srv(10, 10, 5061, 'vcse.ciscoexample.com')], ipv4: [] },
      { lame: { rcode: 'REFUSED' } },
      { noResponse: 'timeout' },
    ],
  }).authoritative;
  if (!observations) throw new Error('authoritativeTarget gave no authoritative observations');
  return observations;
}

export const BASELINE_STARTED_AT = '2025-02-22T08:00:00.000Z';

/** The clean run compared with a week-old baseline: one change of every kind. */
export function withChanges(): RunResult {
  const run = cleanPass();
  const before = certificate('sip.ciscoexample.com', { daysLeft: 10 });
  const after = run.targets[0]!.observations.tls[0]!.chain[0]!;
  const summary = (leaf: CertificateInfo) => ({ fingerprintSha256: leaf.fingerprintSha256, notAfter: leaf.notAfter, subject: leaf.subject });
  const srvName = sipFederationSrvName(LOCAL);
  return {
    ...run,
    baseline: { startedAt: BASELINE_STARTED_AT },
    changes: [
      { domain: LOCAL, kind: 'srv-records', subject: srvName, before: ['10 100 5061 sip.ciscoexample.com', '20 100 5061 old.ciscoexample.com'], after: ['10 100 5061 sip.ciscoexample.com'] },
      { domain: LOCAL, kind: 'srv-target', subject: srvName, before: 'old.ciscoexample.com:5061', after: 'sip.ciscoexample.com:5061' },
      { domain: LOCAL, kind: 'peer-addresses', subject: 'sip.ciscoexample.com', before: ['192.0.2.10', '192.0.2.11'], after: ['192.0.2.10'] },
      { domain: LOCAL, kind: 'certificate', subject: '192.0.2.10:5061', before: summary({ ...before, fingerprintSha256: fingerprint('old') }), after: summary(after) },
      { domain: LOCAL, kind: 'tls-version', subject: '192.0.2.10:5061', before: 'TLSv1.2', after: 'TLSv1.3' },
      { domain: LOCAL, kind: 'finding', subject: '192.0.2.10:5061', before: { code: 'cert-validity.expiring-critical', status: 'fail' }, after: null },
      { domain: LOCAL, kind: 'finding', subject: srvName, before: null, after: { code: 'srv-port.other-port', status: 'warn' } },
    ],
  };
}

/** A run compared with a baseline that differs in nothing. */
export function withoutChanges(): RunResult {
  return { ...cleanPass(), baseline: { startedAt: BASELINE_STARTED_AT }, changes: [] };
}
