// The real binary against Expressway-E stand-ins fedcheck did not write: `openssl s_server` and
// nginx with the certificate, cipher list and protocol versions of each case, and, for
// revocation, a CA run by the openssl command line whose CRLs (`openssl ca -gencrl`) nginx
// publishes and whose index `openssl ocsp` answers from. The lab provides only the DNS: one
// domain per case (<case>.example), its SRV record at that case's peer. Each group of cases is
// one fedcheck run over all its domains, made twice: these are network behaviours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate, pemToDer } from '../../src/gather/index.js';
import { startLab, type RunningLab } from '../../src/lab/lab.js';
import { createPki, type IssuedCertificate } from '../../src/lab/pki.js';
import { closedPort } from '../../src/lab/tls-endpoints.js';
import type { Finding, TargetResult } from '../../src/model/findings.js';
import { resultValidator, describeErrors } from '../report/schema.js';
import { runFedcheck } from '../helpers/fedcheck.js';
import { writeTemporaryFile } from '../helpers/files.js';
import { nginxBinary, startNginx, type NginxTls, type RunningNginx } from '../helpers/nginx.js';
import { createOpensslCa, type OpensslCa, type OpensslCertificate } from '../helpers/openssl-ca.js';
import { opensslBinary, startOpensslServer, type OpensslServerOptions } from '../helpers/openssl-server.js';
import type { ServerProcess } from '../helpers/server-process.js';

const RUNS = 2;
/** The servers of a group, a lab and two real runs on a loaded CI machine. */
const GROUP_TIMEOUT_MS = 120_000;
const DOMAIN = 'ciscoexample.com';
const HOST = `sip.${DOMAIN}`;
const DAY_MS = 86_400_000;
const openssl = opensslBinary();
const nginx = nginxBinary();
if (!openssl || !nginx) console.warn('openssl or nginx is not installed: skipping the scenarios against openssl s_server and nginx peers');

/**
 * A lab whose DNS sends the federation SRV record of <case>.example to 127.0.0.1:<port>, for SNI
 * sip.ciscoexample.com. Case names are lower case: fedcheck reports domains so.
 */
function labFor(ports: Record<string, number>): Promise<RunningLab> {
  const zone = (origin: string, records: string) =>
    `$ORIGIN ${origin}.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A 127.0.0.1\n${records}`;
  return startLab({
    zones: [
      zone(DOMAIN, 'sip IN A 127.0.0.1\n'),
      ...Object.entries(ports).map(([name, port]) => zone(`${name}.example`, `_sipfederationtls._tcp IN SRV 10 10 ${port} ${HOST}.\n`)),
    ],
  });
}

/**
 * Runs fedcheck RUNS times over the domain of every case in `ports`, trusting `rootPem`: per run,
 * each case's target. A passing finding is written as its code alone: what it rests on is in the
 * target's observations.
 */
async function runCases<Case extends string>(ports: Record<Case, number>, rootPem: string): Promise<Record<Case, TargetResult>[]> {
  const lab = await labFor(ports);
  try {
    const ca = await writeTemporaryFile('root.pem', rootPem);
    const cases = Object.keys(ports) as Case[];
    const runs: Record<Case, TargetResult>[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await runFedcheck([...cases.map((name) => `${name}.example`), '--resolver', lab.resolverArgument, '--ca', ca, '--json']);
      expect(run.stderr).toBe('');
      const validate = resultValidator();
      expect(validate(run.document), describeErrors(validate.errors)).toBe(true);
      runs.push(Object.fromEntries(cases.map((name) => [name, run.json!.targets.find((target) => target.domain === `${name}.example`)!])) as Record<Case, TargetResult>);
    }
    return runs;
  } finally {
    await lab.close();
  }
}

/** The finding of `check` for one case, in every run. */
function findingsOf<Case extends string>(runs: Record<Case, TargetResult>[], name: Case, check: string): (Finding | undefined)[] {
  return runs.map((targets) => targets[name].findings.find((finding) => finding.check === check));
}

describe.skipIf(!openssl || !nginx)('cipher suites, against openssl s_server and nginx', () => {
  const servers: ServerProcess[] = [];
  let ports: Record<'ecdsa' | 'cbc' | 'plainrsa' | 'nginx', number>;
  let runs: Record<keyof typeof ports, TargetResult>[];

  beforeAll(async () => {
    const pki = await createPki();
    const rsa = pki.issueLeaf({ commonName: HOST, sans: [HOST] });
    const ecdsa = pki.issueLeaf({ commonName: HOST, sans: [HOST], keyType: 'ec' });
    const sServer = (leaf: IssuedCertificate, options: Omit<OpensslServerOptions, 'certPem' | 'keyPem' | 'chainPem'>) =>
      startOpensslServer(openssl!, { certPem: leaf.certPem, keyPem: leaf.keyPem, chainPem: pki.intermediate.certPem, ...options });
    const nginxTls = (tls: Omit<NginxTls, 'certPem' | 'keyPem'>): Promise<RunningNginx> =>
      startNginx(nginx!, '', { certPem: pki.chainPem(rsa), keyPem: rsa.keyPem, ...tls });
    const started = await Promise.all([
      sServer(ecdsa, {}),
      sServer(rsa, { cipher: 'ECDHE-RSA-AES128-SHA', tls13: false }),
      sServer(rsa, { cipher: 'AES256-GCM-SHA384' }),
      nginxTls({ ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384', protocols: 'TLSv1.2', serverPreference: true }),
    ]);
    servers.push(...started);
    const [ecdsaServer, cbc, plainrsa, nginxServer] = started;
    ports = { ecdsa: ecdsaServer!.port, cbc: cbc!.port, plainrsa: plainrsa!.port, nginx: nginxServer!.port };
    runs = await runCases(ports, pki.root.certPem);
  }, GROUP_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('an ECDSA-only s_server: tls-ciphers.ec-key, with the RSA certificate as the fix', () => {
    for (const finding of findingsOf(runs, 'ecdsa', 'tls-ciphers')) {
      expect(finding).toMatchObject({ code: 'tls-ciphers.ec-key', status: 'fail', subject: `127.0.0.1:${ports.ecdsa}` });
      expect(finding?.remediation).toContain('RSA certificate (2048 bits or more)');
    }
  });

  it('s_server -cipher ECDHE-RSA-AES128-SHA -no_tls1_3: tls-ciphers.weak-only (SHA-1 CBC), no TLS 1.3', () => {
    for (const finding of findingsOf(runs, 'cbc', 'tls-ciphers')) {
      expect(finding).toMatchObject({ code: 'tls-ciphers.weak-only', status: 'warn', data: { tls13: false, accepted: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'] } });
      expect(finding?.message).toContain('(SHA-1 CBC)');
    }
  });

  it('s_server -cipher AES256-GCM-SHA384 with TLS 1.3: tls-ciphers.weak-only (no forward secrecy), TLS 1.3 recorded', () => {
    for (const finding of findingsOf(runs, 'plainrsa', 'tls-ciphers')) {
      expect(finding).toMatchObject({ code: 'tls-ciphers.weak-only', data: { tls13: true, microsoftPick: 'TLS_RSA_WITH_AES_256_GCM_SHA384' } });
      expect(finding?.message).toContain('no forward secrecy');
      expect(finding?.message).toContain('also accepts TLS 1.3');
    }
  });

  it('nginx with the ECDHE AES-GCM suites, TLS 1.2 only: tls-ciphers.pass', () => {
    for (const { nginx: target } of runs) {
      expect(target.findings.find((finding) => finding.check === 'tls-ciphers')).toMatchObject({ code: 'tls-ciphers.pass', status: 'pass' });
      const [probe] = target.observations.tls;
      expect(probe?.handshake?.protocol).toBe('TLSv1.2');
      expect(probe?.ciphers).toMatchObject({ microsoftPick: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' });
    }
  });
});

describe.skipIf(!nginx)('TLS 1.0 and 1.1, against nginx', () => {
  const servers: ServerProcess[] = [];
  let runs: Record<'both' | 'tls11' | 'neither', TargetResult>[];

  beforeAll(async () => {
    const pki = await createPki();
    const rsa = pki.issueLeaf({ commonName: HOST, sans: [HOST] });
    // OpenSSL 3 signs TLS 1.0/1.1 handshakes only at security level 0.
    const nginxTls = (protocols: string): Promise<RunningNginx> =>
      startNginx(nginx!, '', { certPem: pki.chainPem(rsa), keyPem: rsa.keyPem, protocols, ciphers: 'DEFAULT@SECLEVEL=0' });
    const started = await Promise.all([nginxTls('TLSv1 TLSv1.1 TLSv1.2'), nginxTls('TLSv1.1 TLSv1.2'), nginxTls('TLSv1.2 TLSv1.3')]);
    servers.push(...started);
    const [both, tls11, neither] = started;
    runs = await runCases({ both: both!.port, tls11: tls11!.port, neither: neither!.port }, pki.root.certPem);
  }, GROUP_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  const legacyOf = (target: TargetResult) => target.observations.tls[0]?.legacyProtocols.map(({ protocol, result }) => [protocol, result]);

  it.each([
    ['both', 'TLSv1 TLSv1.1 TLSv1.2', 'accepted', 'accepted', 'tls-version.legacy-accepted'],
    ['tls11', 'TLSv1.1 TLSv1.2', 'refused', 'accepted', 'tls-version.legacy-accepted'],
    ['neither', 'TLSv1.2 TLSv1.3', 'refused', 'refused', 'tls-version.pass'],
  ] as const)('%s (ssl_protocols %s): TLS 1.0 %s, TLS 1.1 %s, %s', (name, _protocols, tls10, tls11, code) => {
    for (const targets of runs) {
      expect(legacyOf(targets[name])).toEqual([
        ['TLSv1', tls10],
        ['TLSv1.1', tls11],
      ]);
      expect(targets[name].findings.find((finding) => finding.check === 'tls-version')).toMatchObject({ code });
    }
  });
});

describe.skipIf(!openssl || !nginx)('revocation, against an openssl CA, its CRLs on nginx and openssl ocsp', () => {
  let ca: OpensslCa;
  let web: RunningNginx;
  let responder: ServerProcess;
  const servers: ServerProcess[] = [];
  const leaves = {} as Record<'good' | 'revoked' | 'stale', OpensslCertificate>;
  let runs: Record<keyof typeof leaves, TargetResult>[];

  beforeAll(async () => {
    web = await startNginx(nginx!);
    const ocspPort = await closedPort();
    ca = createOpensslCa({ intermediateCrlUrl: web.url('/root.crl') });
    const ocspUrl = `http://127.0.0.1:${ocspPort}/`;
    leaves.good = ca.issueLeaf(HOST, { crlUrl: web.url('/intermediate.crl'), ocspUrl });
    leaves.revoked = ca.issueLeaf(HOST, { crlUrl: web.url('/intermediate.crl'), ocspUrl });
    leaves.stale = ca.issueLeaf(HOST, { crlUrl: web.url('/stale.crl') });
    ca.revoke(leaves.revoked, 'keyCompromise');
    web.publish('/intermediate.crl', ca.intermediateCrl());
    web.publish('/stale.crl', ca.intermediateCrl({ lastUpdate: new Date(Date.now() - 10 * DAY_MS), nextUpdate: new Date(Date.now() - 3 * DAY_MS) }));
    web.publish('/root.crl', ca.rootCrl());
    responder = await ca.startOcspResponder(ocspPort, ca.issueResponder());
    const peer = (leaf: OpensslCertificate) => startOpensslServer(openssl!, { certPem: leaf.certPem, keyPem: leaf.keyPem, chainPem: ca.intermediate.certPem });
    const [good, revoked, stale] = await Promise.all([peer(leaves.good), peer(leaves.revoked), peer(leaves.stale)]);
    servers.push(good!, revoked!, stale!);
    runs = await runCases({ good: good!.port, revoked: revoked!.port, stale: stale!.port }, ca.root.certPem);
  }, GROUP_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([...servers.map((server) => server.stop()), responder?.stop(), web?.stop()]);
    ca?.remove();
  });

  it('a good certificate: cert-revocation.pass from the CRL and the OCSP responder', () => {
    const fingerprint = parseCertificate(pemToDer(leaves.good.certPem)[0]!).fingerprintSha256;
    for (const { good: target } of runs) {
      expect(target.findings.find((finding) => finding.check === 'cert-revocation')).toMatchObject({ code: 'cert-revocation.pass', status: 'pass' });
      const leaf = target.observations.revocation?.certificates.find((entry) => entry.fingerprintSha256 === fingerprint);
      expect(leaf?.crls).toEqual([expect.objectContaining({ url: web.url('/intermediate.crl'), reading: expect.objectContaining({ status: 'good' }) })]);
      expect(leaf?.ocsp).toEqual([expect.objectContaining({ reading: expect.objectContaining({ status: 'good', signer: expect.objectContaining({ kind: 'delegated-responder' }) }) })]);
    }
  });

  it('a revoked certificate: cert-revocation.revoked, by the CRL and by OCSP, with the reason', () => {
    for (const finding of findingsOf(runs, 'revoked', 'cert-revocation')) {
      expect(finding).toMatchObject({ code: 'cert-revocation.revoked', status: 'fail' });
      expect(finding?.message).toContain('keyCompromise');
      expect(finding?.message).toMatch(/the CRL \S+ says revoked .* and the OCSP responder \S+ says revoked/);
    }
  });

  it('a CRL past its nextUpdate: cert-revocation.stale', () => {
    for (const finding of findingsOf(runs, 'stale', 'cert-revocation')) {
      expect(finding).toMatchObject({ code: 'cert-revocation.stale', status: 'warn' });
      expect(finding?.message).toContain(web.url('/stale.crl'));
    }
  });
});
