// The contract every check keeps, tested over all of them at once: a pure function of frozen
// observations, JSON-safe findings, a code it declares on every finding, with the status it
// declares, and a specific fix on every warn and fail. The unit tests of each check prove its
// verdicts; this proves the rules no check may break, on a spread of healthy and broken targets.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS, declaredCodes, findCheck, findCheckByCode, isOverrideKey, judgeTarget } from '../../src/checks/index.js';
import type { Check } from '../../src/checks/types.js';
import type { TargetObservations } from '../../src/model/observations.js';
import {
  IMP_ADDRESS,
  INTERNAL_RESOLVER,
  PUBLISHER,
  OLD_SERIAL,
  addressQuery,
  authoritativeTarget,
  checkContext,
  daysFromNow,
  failedHandshakeProbe,
  federationTarget,
  impProbe,
  impTarget,
  leafCertificate,
  microsoft365Target,
  nodata,
  nxdomain,
  ptrQuery,
  servfail,
  splitTarget,
  srv,
  srvName,
  srvQuery,
  targetObservations,
  timeout,
  tlsProbe,
  tlsTarget,
  unconnectedProbe,
  cipherProbes,
  crlReading,
  crlSource,
  failedSource,
  revocationFor,
} from '../helpers/builders/index.js';

const SRV = srvName('ciscoexample.com');

/** Healthy and broken targets in both roles, each touching many checks at once. */
const CORPUS: Record<string, TargetObservations> = {
  healthy: tlsTarget([tlsProbe(), tlsProbe({ address: '192.0.2.11' })]),
  'healthy, with ciphers and revocation': (() => {
    const probes = [tlsProbe({ ciphers: cipherProbes() }), tlsProbe({ address: '192.0.2.11', ciphers: cipherProbes() })];
    return tlsTarget(probes, { revocation: revocationFor(probes) });
  })(),
  'weak ciphers, revoked and stale': (() => {
    const probes = [
      tlsProbe({ ciphers: cipherProbes({ microsoftPick: 'TLS_RSA_WITH_AES_256_GCM_SHA384', accepted: ['TLS_RSA_WITH_AES_256_GCM_SHA384'] }) }),
      tlsProbe({ address: '192.0.2.11', chain: [leafCertificate({ keyType: 'ec', serialNumber: '0C' })], ciphers: cipherProbes({ accepted: [], refused: [], error: 'TCP connect refused' }) }),
    ];
    return tlsTarget(probes, {
      // Both leaves revoked by their CRL; the first peer's intermediate has a CRL that is gone.
      revocation: revocationFor(probes, { 0: { crls: [crlSource({ reading: crlReading({ status: 'revoked' }) })] }, 1: { crls: [failedSource('http-status', { httpStatus: 404 })] } }),
    });
  })(),
  'healthy partner': tlsTarget([tlsProbe({ host: 'sip.msexample.com' })], { role: 'partner' }),
  'no SRV': targetObservations({ dns: [nxdomain(SRV, 'SRV')] }),
  'SRV SERVFAIL': targetObservations({ dns: [servfail(SRV, 'SRV')] }),
  'never queried': targetObservations({ deadlineExceeded: true }),
  'dot target': federationTarget({ srv: [srv(0, 0, 0, '.')] }),
  'several records, other port': federationTarget({ srv: [srv(10, 10, 5062, 'a.ciscoexample.com'), srv(10, 10, 5061, 'b.ciscoexample.com')] }),
  'outside the namespace, aliased, 7 peers': federationTarget({
    srv: [srv(10, 10, 443, 'edge.example.net')],
    targetCnames: ['lb.example.net'],
    ipv4: ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5', '192.0.2.6', '192.0.2.7'],
  }),
  'partner outside everything': federationTarget({
    role: 'partner',
    srv: [srv(10, 10, 443, 'edge.example.net'), srv(20, 10, 5061, 'b.example.net')],
    targetCnames: ['lb.example.net'],
  }),
  'target lookups failed': targetObservations({
    dns: [srvQuery(SRV, [srv(10, 10, 5061, 'sip.ciscoexample.com')]), timeout('sip.ciscoexample.com', 'A'), servfail('sip.ciscoexample.com', 'AAAA')],
  }),
  'target missing': targetObservations({
    dns: [srvQuery(SRV, [srv(10, 10, 5061, 'sip.ciscoexample.com')]), nxdomain('sip.ciscoexample.com', 'A'), nxdomain('sip.ciscoexample.com', 'AAAA')],
  }),
  'broken peers': tlsTarget([
    unconnectedProbe('refused', { address: '192.0.2.11' }),
    unconnectedProbe('timeout', { address: '192.0.2.12' }),
    failedHandshakeProbe('plaintext', { plaintextSample: 'SIP/2.0 400 Bad Request' }, { address: '192.0.2.13' }),
    failedHandshakeProbe('aborted', {}, { address: '192.0.2.14' }),
    tlsProbe({
      address: '192.0.2.15',
      chain: [
        leafCertificate({
          sanDnsNames: ['*.ciscoexample.com'],
          keyBits: 1024,
          signatureAlgorithm: 'sha1WithRSAEncryption',
          signatureAlgorithmOid: '1.2.840.113549.1.1.5',
          extendedKeyUsage: ['serverAuth'],
          crlDistributionPoints: [],
          notAfter: daysFromNow(5),
        }),
      ],
      trust: { verdict: 'incomplete-chain', detail: 'unable to get local issuer certificate' },
      legacyProtocols: [
        { protocol: 'TLSv1', result: 'accepted' },
        { protocol: 'TLSv1.1', result: 'refused' },
      ],
      clientAuth: { requested: 'required', presentedCertificate: { subject: 'CN=expe.ciscoexample.com', accepted: false, error: 'unknown_ca' } },
      sipOptions: { outcome: 'timeout', error: 'no SIP response within 2000 ms' },
    }),
  ]),
  'broken partner peers': tlsTarget(
    [
      tlsProbe({
        host: 'sip.msexample.com',
        chain: [leafCertificate({ subject: 'CN=sip.msexample.com', sanDnsNames: ['other.example.net'], extendedKeyUsage: ['serverAuth'], notAfter: daysFromNow(-3) })],
        trust: { verdict: 'self-signed', detail: 'self-signed certificate' },
        handshake: { outcome: 'ok', durationMs: 20, protocol: 'TLSv1.1' },
      }),
    ],
    { role: 'partner' },
  ),
  'IM and Presence, healthy': impTarget({
    publisher: PUBLISHER,
    publisherQueries: [addressQuery(PUBLISHER, 'A', ['198.51.100.20']), nodata(PUBLISHER, 'AAAA')],
  }),
  'IM and Presence, broken': impTarget({
    ptr: { [IMP_ADDRESS]: ['imp1-public.ciscoexample.com'] },
    publisher: PUBLISHER,
    publisherQueries: [nxdomain(PUBLISHER, 'A'), nxdomain(PUBLISHER, 'AAAA')],
    tls: [
      impProbe({
        handshake: { outcome: 'ok', durationMs: 20, protocol: 'TLSv1.2' },
        clientAuth: { requested: 'not-requested' },
        trust: { verdict: 'untrusted-root', detail: 'unable to get local issuer certificate' },
        legacyProtocols: [{ protocol: 'TLSv1', result: 'accepted' }],
      }),
    ],
  }),
  'IM and Presence, unreachable': impTarget({ tls: [unconnectedProbe('refused', { host: 'imp1-public.ciscoexample.com', address: IMP_ADDRESS, port: 5062, purpose: 'imp' })] }),
  'IM and Presence, no address': impTarget({ ipv4: [], tls: [] }),
  'authoritative servers disagree': authoritativeTarget({
    servers: [{}, { serial: OLD_SERIAL, srv: [srv(10, 10, 5061, 'vcse.ciscoexample.com')] }, { lame: { rcode: 'REFUSED' } }, { noResponse: 'timeout' }],
    unresolvedNameServers: [{ name: 'ns9.ciscoexample.com' }],
  }),
  'authoritative servers of a partner, broken': authoritativeTarget({
    role: 'partner',
    servers: [{}, { ipv4: ['192.0.2.98'] }, { lame: { rcode: 'NOERROR', referral: true } }, { address: '2001:db8::53', noResponse: 'unreachable' }],
  }),
  'no authoritative server reachable': authoritativeTarget({ servers: [{ noResponse: 'timeout' }, { noResponse: 'aborted' }] }),
  'Microsoft 365 partner, half-migrated': microsoft365Target({
    federation: 'sipfed.online.lync.com',
    sipTls: { target: 'sipdir.online.lync.com', port: 5061 },
    sip: { a: ['192.0.2.120'] },
    lyncdiscover: 'servfail',
  }),
  'local domain, autodiscover at Microsoft 365': microsoft365Target({ role: 'local', federation: 'sip.ciscoexample.com', sip: 'nxdomain', lyncdiscover: { cname: 'webdir.online.lync.com' } }),
  'split DNS, internal only': splitTarget({ srv: [] }, {}),
  'split DNS, private external address': splitTarget({ ipv4: ['10.0.0.5'] }, {}, [ptrQuery('10.0.0.5', [], { resolver: INTERNAL_RESOLVER })]),
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

for (const target of Object.values(CORPUS)) deepFreeze(target);

const CHECK_IDS = [
  'srv-present',
  'srv-available',
  'srv-single',
  'srv-port',
  'srv-target-namespace',
  'srv-target-alias',
  'srv-target-address',
  'srv-target-peers',
  'dns-authoritative',
  'm365-records',
  'tls-connect',
  'tls-handshake',
  'tls-version',
  'tls-ciphers',
  'cert-trust',
  'cert-validity',
  'cert-name',
  'cert-eku',
  'cert-key',
  'cert-signature',
  'cert-revocation',
  'cert-consistent',
  'tls-client-auth',
  'sip-options',
  'imp-fqdn-address',
  'imp-fqdn-no-ptr',
  'imp-tls',
  'imp-publisher-public',
  'dns-views',
];

const VARIANT = /^[a-z0-9]+(-[a-z0-9]+)*$/;

describe('the registry', () => {
  it('lists every check once, in report order', () => {
    expect(ALL_CHECKS.map((check) => check.meta.id)).toEqual(CHECK_IDS);
  });

  it('finds checks by id and by any of their codes', () => {
    expect(findCheck('srv-port')?.meta.id).toBe('srv-port');
    expect(findCheckByCode('srv-port.port-zero')?.meta.id).toBe('srv-port');
    expect(findCheckByCode('srv-port.no-such-variant')).toBeUndefined();
    expect(findCheckByCode('srv-port')).toBeUndefined();
  });

  it('accepts check ids and declared codes as severity override keys, nothing else', () => {
    expect(isOverrideKey('cert-revocation')).toBe(true);
    expect(isOverrideKey('cert-revocation.stale')).toBe(true);
    expect(isOverrideKey('cert-revocation.nope')).toBe(false);
    expect(isOverrideKey('cert')).toBe(false);
    expect(isOverrideKey('')).toBe(false);
  });
});

describe.each(ALL_CHECKS.map((check) => [check.meta.id, check] as const))('%s', (id, check: Check) => {
  const { meta } = check;

  it('declares its codes: variant names, one-line summaries, and a code at its severity', () => {
    const variants = Object.keys(meta.codes);
    expect(variants.length).toBeGreaterThan(1);
    for (const variant of variants) expect(variant).toMatch(VARIANT);
    for (const { summary } of declaredCodes(check)) {
      expect(summary.trim()).not.toBe('');
      expect(summary).not.toContain('\n');
    }
    expect(declaredCodes(check).map(({ status }) => status)).toContain(meta.severity);
    expect(meta.roles.length).toBeGreaterThan(0);
  });

  it.each(Object.entries(CORPUS))('keeps the finding contract on "%s"', (_, target) => {
    if (!meta.roles.includes(target.role)) return;
    const context = checkContext(target);
    const findings = check.run(context);
    expect(check.run(context)).toEqual(findings);
    expect(JSON.parse(JSON.stringify(findings))).toEqual(findings);
    for (const finding of findings) {
      expect(finding.check).toBe(id);
      const variant = finding.code.slice(id.length + 1);
      expect(finding.code).toBe(`${id}.${variant}`);
      expect(meta.codes[variant], `${finding.code} is declared`).toBeDefined();
      expect(finding.status).toBe(meta.codes[variant]!.status);
      expect(finding.subject.trim()).not.toBe('');
      expect(finding.message.trim()).not.toBe('');
      expect(finding.reference).toBeTruthy();
      if (finding.status === 'warn' || finding.status === 'fail') {
        expect(finding.remediation, `${finding.code} on ${finding.subject} says how to fix it`).toBeTruthy();
        expect(finding.remediation, `${finding.code} gives a specific fix, not the check's general advice`).not.toBe(meta.remediation);
      }
    }
  });
});

describe('codes', () => {
  // The unit tests and the scenario fixtures assert codes as literals; a code none of them asserts
  // is a variant no test input produces.
  const testDirectory = new URL('.', import.meta.url);
  const fixtures = new URL('../../fixtures/scenarios/', import.meta.url);
  const sources = [
    ...readdirSync(testDirectory, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.test.ts') && !file.endsWith('contract.test.ts'))
      .map((file) => readFileSync(new URL(file, testDirectory), 'utf8')),
    ...readdirSync(fixtures)
      .filter((file) => file.endsWith('.json'))
      .map((file) => readFileSync(new URL(file, fixtures), 'utf8')),
  ].join('\n');

  it.each(ALL_CHECKS.flatMap((check) => declaredCodes(check).map(({ code }) => [code] as const)))('%s is asserted by a test', (code) => {
    expect(new RegExp(`["'\`]${code.replace(/[.-]/g, '\\$&')}["'\`]`).test(sources), `a test expects ${code}`).toBe(true);
  });

  it('are unique across checks', () => {
    const codes = ALL_CHECKS.flatMap((check) => declaredCodes(check).map(({ code }) => code));
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('retired check ids', () => {
  it('cert-crl, folded into cert-revocation, still names it for explain and severity overrides', () => {
    expect(findCheck('cert-crl')?.meta.id).toBe('cert-revocation');
    expect(isOverrideKey('cert-crl')).toBe(true);
    expect(isOverrideKey('cert-crl.missing')).toBe(false);
    const target = CORPUS['weak ciphers, revoked and stale']!;
    const settings = { now: checkContext(target).now, warnDays: 30, critDays: 14 };
    const revocation = (overrides: Record<string, 'off' | 'warn'>) =>
      judgeTarget(target, { ...settings, checkOverrides: overrides }).filter((finding) => finding.check === 'cert-revocation');
    expect(revocation({ 'cert-crl': 'off' })).toEqual([]);
    expect(revocation({ 'cert-crl': 'warn' }).map((finding) => finding.status)).toEqual(['warn', 'warn']);
    expect(revocation({ 'cert-crl': 'off', 'cert-revocation': 'warn' }).map((finding) => finding.status)).toEqual(['warn', 'warn']);
  });
});

describe('judgeTarget severity overrides', () => {
  const target = CORPUS['broken peers']!;
  const settings = { now: checkContext(target).now, warnDays: 30, critDays: 14 };
  const codesOfCheck = (findings: ReturnType<typeof judgeTarget>, id: string) =>
    findings.filter((finding) => finding.check === id).map((finding) => [finding.code, finding.status]);

  it('applies a check id to every warn and fail of the check, never to a pass', () => {
    const findings = judgeTarget(target, { ...settings, checkOverrides: { 'tls-connect': 'warn' } });
    expect(codesOfCheck(findings, 'tls-connect')).toEqual([
      ['tls-connect.refused', 'warn'],
      ['tls-connect.timeout', 'warn'],
      ['tls-connect.pass', 'pass'],
      ['tls-connect.pass', 'pass'],
      ['tls-connect.pass', 'pass'],
    ]);
    expect(findings.find((finding) => finding.code === 'tls-connect.refused')?.data).toMatchObject({ severityOverriddenFrom: 'fail' });
  });

  it("lets a code's override win over its check's, and turn one variant off", () => {
    const findings = judgeTarget(target, {
      ...settings,
      checkOverrides: { 'tls-connect': 'warn', 'tls-connect.timeout': 'info', 'tls-connect.refused': 'off' },
    });
    expect(codesOfCheck(findings, 'tls-connect').filter(([, status]) => status !== 'pass')).toEqual([['tls-connect.timeout', 'info']]);
  });

  it('keeps the codes given their own override when the check is off', () => {
    const findings = judgeTarget(target, { ...settings, checkOverrides: { 'tls-connect': 'off', 'tls-connect.refused': 'fail' } });
    expect(codesOfCheck(findings, 'tls-connect')).toEqual([['tls-connect.refused', 'fail']]);
    expect(codesOfCheck(judgeTarget(target, { ...settings, checkOverrides: { 'tls-connect': 'off' } }), 'tls-connect')).toEqual([]);
  });
});
