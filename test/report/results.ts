// Hand-made RunResults for the renderer tests: small builders for observations and findings,
// and the scenarios the renderers must handle. Everything is typed against the model, so a
// scenario with a misspelt or extra field does not compile.
import { createHash } from 'node:crypto';
import { worstStatus, type Finding, type RunResult, type Status, type TargetResult } from '../../src/model/findings.js';
import type {
  CertificateInfo,
  DnsQueryObservation,
  DnsQueryType,
  DnsRecord,
  SrvData,
  TlsProbeObservation,
  TrustVerdict,
} from '../../src/model/observations.js';
import { sipFederationSrvName } from '../../src/model/dns.js';

export const STARTED_AT = '2025-03-01T08:00:00.000Z';
export const RESOLVER = '192.0.2.53:53';
const DAY_MS = 86_400_000;

/** The ISO time `days` (fractions allowed) after the run started. */
export function daysAfterStart(days: number): string {
  return new Date(Date.parse(STARTED_AT) + days * DAY_MS).toISOString();
}

// ---------------------------------------------------------------------------------------------
// DNS

interface QueryOptions {
  resolver?: string;
  durationMs?: number;
  ttl?: number;
  /** The queried name is an alias: answers start with this CNAME. */
  cname?: string;
}

function answeredQuery(
  name: string,
  type: DnsQueryType,
  answers: DnsRecord[],
  options: QueryOptions,
): DnsQueryObservation {
  return {
    name,
    type,
    resolver: options.resolver ?? RESOLVER,
    transport: 'udp',
    retriedOverTcp: false,
    rcode: 'NOERROR',
    flags: {
      authoritative: false,
      truncated: false,
      recursionDesired: true,
      recursionAvailable: true,
      authenticData: false,
      checkingDisabled: false,
    },
    answers,
    authorities: [],
    durationMs: options.durationMs ?? 12,
  };
}

export function srv(priority: number, weight: number, port: number, target: string): SrvData {
  return { priority, weight, port, target };
}

export function srvQuery(domain: string, records: SrvData[], options: QueryOptions = {}): DnsQueryObservation {
  const name = sipFederationSrvName(domain);
  const owner = options.cname ?? name;
  const alias: DnsRecord[] = options.cname ? [{ name, type: 'CNAME', ttl: 300, data: options.cname }] : [];
  return answeredQuery(
    name,
    'SRV',
    [...alias, ...records.map((data): DnsRecord => ({ name: owner, type: 'SRV', ttl: options.ttl ?? 3600, data }))],
    options,
  );
}

export function addressQuery(
  name: string,
  type: 'A' | 'AAAA',
  addresses: string[],
  options: QueryOptions = {},
): DnsQueryObservation {
  const owner = options.cname ?? name;
  const alias: DnsRecord[] = options.cname ? [{ name, type: 'CNAME', ttl: 300, data: options.cname }] : [];
  return answeredQuery(
    name,
    type,
    [...alias, ...addresses.map((data): DnsRecord => ({ name: owner, type, ttl: options.ttl ?? 300, data }))],
    options,
  );
}

export type QueryFailure = 'nodata' | 'nxdomain' | 'servfail' | 'refused' | 'timeout' | 'connection-refused';

export function failedQuery(
  name: string,
  type: DnsQueryType,
  failure: QueryFailure,
  options: QueryOptions = {},
): DnsQueryObservation {
  const base = answeredQuery(name, type, [], options);
  switch (failure) {
    case 'nodata':
      return {
        ...base,
        authorities: [
          {
            name: name.split('.').slice(-2).join('.'),
            type: 'SOA',
            ttl: 900,
            data: {
              mname: 'ns1.example.net',
              rname: 'hostmaster.example.net',
              serial: 2025030101,
              refresh: 7200,
              retry: 900,
              expire: 1209600,
              minimum: 300,
            },
          },
        ],
      };
    case 'nxdomain':
      return { ...base, rcode: 'NXDOMAIN' };
    case 'servfail':
      return { ...base, rcode: 'SERVFAIL' };
    case 'refused':
      return { ...base, rcode: 'REFUSED' };
    case 'timeout': {
      const { rcode: _rcode, flags: _flags, ...rest } = base;
      return {
        ...rest,
        durationMs: options.durationMs ?? 2000,
        error: { class: 'timeout', message: 'no response within 2000 ms' },
      };
    }
    case 'connection-refused': {
      const { rcode: _rcode, flags: _flags, ...rest } = base;
      return {
        ...rest,
        durationMs: options.durationMs ?? 1,
        error: { class: 'connection-refused', message: 'ICMP port unreachable' },
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// TLS

function hexBytes(seed: string, bytes: number): string {
  return createHash('sha256')
    .update(seed)
    .digest('hex')
    .slice(0, bytes * 2)
    .toUpperCase();
}

export interface CertificateSpec {
  daysLeft: number;
  issuerCN?: string;
  sans?: string[];
  validForDays?: number;
}

/**
 * A parsed certificate as gather reports it. The PEM body is not a real DER encoding: no
 * renderer decodes it, and the schema only asks for the PEM armour.
 */
export function certificate(
  commonName: string,
  spec: CertificateSpec,
  overrides: Partial<CertificateInfo> = {},
): CertificateInfo {
  const issuerCN = spec.issuerCN ?? 'Example Issuing CA G2';
  const sans = spec.sans ?? [commonName];
  const body = Buffer.from(`fedcheck report fixture for ${commonName}`).toString('base64');
  const fingerprint = hexBytes(`${commonName}/${spec.daysLeft}/${issuerCN}`, 32).match(/../g)!.join(':');
  return {
    pem: `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`,
    subject: `CN=${commonName}, O=Example Corp`,
    subjectCN: commonName,
    issuer: `CN=${issuerCN}, O=Example Trust`,
    issuerCN,
    serialNumber: hexBytes(commonName, 16),
    notBefore: daysAfterStart(spec.daysLeft - (spec.validForDays ?? 365)),
    notAfter: daysAfterStart(spec.daysLeft),
    fingerprintSha256: fingerprint,
    sanDnsNames: sans,
    sanIpAddresses: [],
    hasSanExtension: true,
    keyType: 'rsa',
    keyBits: 2048,
    signatureAlgorithm: 'sha256WithRSAEncryption',
    signatureAlgorithmOid: '1.2.840.113549.1.1.11',
    extendedKeyUsage: ['serverAuth', 'clientAuth'],
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    crlDistributionPoints: ['http://crl.example.net/issuing-g2.crl'],
    isCA: false,
    selfIssued: issuerCN === commonName,
    ...overrides,
  };
}

export function issuingCa(daysLeft: number): CertificateInfo {
  return certificate(
    'Example Issuing CA G2',
    { daysLeft, issuerCN: 'Example Root CA', sans: [], validForDays: 3650 },
    { isCA: true, extendedKeyUsage: undefined, keyUsage: ['keyCertSign', 'cRLSign'], hasSanExtension: false },
  );
}

export interface ProbeSpec {
  port?: number;
  purpose?: TlsProbeObservation['purpose'];
  protocol?: string;
  handshakeMs?: number;
  chain?: CertificateInfo[];
  verdict?: TrustVerdict;
}

/** A probe whose handshake completed. */
export function tlsProbe(host: string, address: string, spec: ProbeSpec = {}): TlsProbeObservation {
  const verdict = spec.verdict ?? 'trusted';
  return {
    host,
    address,
    port: spec.port ?? 5061,
    family: address.includes(':') ? 6 : 4,
    purpose: spec.purpose ?? 'federation',
    connect: { outcome: 'connected', durationMs: 3 },
    handshake: {
      outcome: 'ok',
      durationMs: spec.handshakeMs ?? 23,
      protocol: spec.protocol ?? 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
    },
    chain: spec.chain ?? [certificate(host, { daysLeft: 87 }), issuingCa(2000)],
    trust: { verdict, detail: verdict === 'trusted' ? 'chains to a trusted root' : `the chain is ${verdict}` },
    legacyProtocols: [
      { protocol: 'TLSv1', result: 'refused' },
      { protocol: 'TLSv1.1', result: 'refused' },
    ],
    clientAuth: { requested: 'requested' },
  };
}

export function refusedProbe(host: string, address: string, port = 5061): TlsProbeObservation {
  return {
    host,
    address,
    port,
    family: address.includes(':') ? 6 : 4,
    purpose: 'federation',
    connect: { outcome: 'refused', durationMs: 2, error: `connect ECONNREFUSED ${address}:${port}` },
    chain: [],
    legacyProtocols: [],
    clientAuth: { requested: 'unknown' },
  };
}

export function plaintextProbe(host: string, address: string, sample: string): TlsProbeObservation {
  return {
    ...tlsProbe(host, address),
    handshake: { outcome: 'plaintext', durationMs: 41, plaintextSample: sample },
    chain: [],
    trust: { verdict: 'no-certificate', detail: 'the server sent no certificate' },
    legacyProtocols: [],
    clientAuth: { requested: 'unknown' },
  };
}

// ---------------------------------------------------------------------------------------------
// Findings and results

export function finding(
  check: string,
  status: Status,
  subject: string,
  message: string,
  extra: Partial<Finding> = {},
): Finding {
  const remediation =
    status === 'warn' || status === 'fail' ? { remediation: `Correct ${check} for ${subject} as described.` } : {};
  return { check, status, subject, message, ...remediation, reference: 'fedcheck DESIGN §2', ...extra };
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
    schemaVersion: 1,
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
      failedQuery(host, 'AAAA', 'nodata'),
    ],
    tls: [tlsProbe(host, '192.0.2.10')],
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
      tlsProbe(outside, '198.51.100.20', { chain: [certificate(outside, { daysLeft: 200 }), issuingCa(2000)] }),
      tlsProbe(outside, '198.51.100.21', { chain: [certificate(outside, { daysLeft: 200 }), issuingCa(2000)] }),
      tlsProbe(outside, '2001:db8::20', { chain: [certificate(outside, { daysLeft: 200 }), issuingCa(2000)] }),
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

/** The local SRV lookup fails at the resolver (SERVFAIL after a timeout); the partner's SRV does not exist. */
export function dnsErrors(): RunResult {
  const partnerSrv = sipFederationSrvName(PARTNER);
  return runResult([
    target(LOCAL, 'local', {
      dns: [failedQuery(SRV_NAME, 'SRV', 'servfail', { durationMs: 48 })],
      tls: [],
      findings: [
        finding('srv-present', 'error', SRV_NAME, `${SRV_NAME} could not be resolved: the server answered SERVFAIL at ${RESOLVER}`),
        finding('srv-single', 'skip', SRV_NAME, 'No SRV records to judge.'),
        finding('tls-connect', 'skip', SRV_NAME, 'No federation peer to connect to.'),
      ],
    }),
    target(PARTNER, 'partner', {
      dns: [failedQuery(partnerSrv, 'SRV', 'nxdomain')],
      tls: [],
      findings: [
        finding('srv-present', 'fail', partnerSrv, `${partnerSrv} does not exist (NXDOMAIN) at ${RESOLVER}`, {
          remediation: `Ask ${PARTNER} to publish ${partnerSrv}.`,
        }),
        finding('tls-connect', 'skip', partnerSrv, 'No federation peer to connect to.'),
      ],
    }),
    target('unreachable.example', 'local', {
      dns: [failedQuery(sipFederationSrvName('unreachable.example'), 'SRV', 'timeout')],
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
    ...tlsProbe(host, '192.0.2.12', {
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
      tlsProbe(host, '192.0.2.10'),
      tlsProbe(host, '192.0.2.11', { handshakeMs: 12.6, chain: [selfSigned], verdict: 'self-signed' }),
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
      finding('cert-crl', 'warn', '192.0.2.11:5061', 'The leaf has no CRL distribution point.'),
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
        failedQuery(host, 'A', 'nxdomain'),
        failedQuery(host, 'AAAA', 'nxdomain'),
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
      failedQuery(host, 'AAAA', 'nodata'),
    ],
    tls: [
      tlsProbe(host, '52.112.0.10', {
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
        tlsProbe(host, '192.0.2.11', {
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
  const impProbe = tlsProbe(imp, '10.1.1.21', {
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
        { curve: 'prime256v1', keyType: 'ec', keyBits: 256, parseError: 'CRL DP unreadable' },
      ),
    ],
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
      dns: [...base.observations.dns, tcpQuery, failedQuery('x.ciscoexample.com', 'TXT', 'timeout')],
      tls: [fullProbe, ...rest],
      internalResolvers: ['10.1.1.53:53'],
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
