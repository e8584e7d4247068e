// The real binary against Expressway-E stand-ins fedcheck did not write: `openssl s_server` and
// nginx with the certificate, cipher list and protocol versions of each case, and, for
// revocation, a CA run by the openssl command line whose CRLs (`openssl ca -gencrl`) nginx
// publishes and whose index `openssl ocsp` answers from. The lab provides only the DNS. Each case
// is run twice: these are network behaviours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate, pemToDer } from '../../src/gather/index.js';
import { startLab, type RunningLab } from '../../src/lab/lab.js';
import { createPki, type IssuedCertificate, type Pki } from '../../src/lab/pki.js';
import { closedPort } from '../../src/lab/tls-endpoints.js';
import type { Finding, TargetResult } from '../../src/model/findings.js';
import { createResultValidator, describeErrors } from '../report/schema.js';
import { runFedcheck } from '../helpers/fedcheck.js';
import { writeTemporaryFile } from '../helpers/files.js';
import { nginxBinary, startNginx, type NginxTls, type RunningNginx } from '../helpers/nginx.js';
import { createOpensslCa, type OpensslCa, type OpensslCertificate } from '../helpers/openssl-ca.js';
import { opensslBinary, startOpensslServer, type OpensslServerOptions } from '../helpers/openssl-server.js';
import type { ServerProcess } from '../helpers/server-process.js';

const RUNS = 2;
/** A lab, a server and two real runs on a loaded CI machine. */
const CASE_TIMEOUT_MS = 60_000;
const DOMAIN = 'ciscoexample.com';
const HOST = `sip.${DOMAIN}`;
const DAY_MS = 86_400_000;
const openssl = opensslBinary();
const nginx = nginxBinary();
if (!openssl || !nginx) console.warn('openssl or nginx is not installed: skipping the scenarios against openssl s_server and nginx peers');

/** A lab whose DNS sends the federation SRV record to 127.0.0.1:port, where the peer under test listens. */
function labFor(port: number): Promise<RunningLab> {
  const zone =
    `$ORIGIN ${DOMAIN}.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A 127.0.0.1\n` +
    `_sipfederationtls._tcp IN SRV 10 10 ${port} ${HOST}.\nsip IN A 127.0.0.1\n`;
  return startLab({ zones: [zone] });
}

/**
 * Runs fedcheck RUNS times against the peer on `port`, trusting `rootPem`; the findings of `check`
 * in each run. A passing finding is written as its code alone: what it rests on is in `observations`.
 */
async function findingsOf(port: number, rootPem: string, check: string): Promise<Finding[][]> {
  return (await runsOf(port, rootPem)).map((target) => target.findings.filter((finding) => finding.check === check));
}

async function runsOf(port: number, rootPem: string): Promise<TargetResult[]> {
  const lab = await labFor(port);
  try {
    const ca = await writeTemporaryFile('root.pem', rootPem);
    const runs: TargetResult[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await runFedcheck([DOMAIN, '--resolver', lab.resolverArgument, '--ca', ca, '--json']);
      expect(run.stderr).toBe('');
      const validate = createResultValidator();
      expect(validate(run.document), describeErrors(validate.errors)).toBe(true);
      runs.push(run.json!.targets[0]!);
    }
    return runs;
  } finally {
    await lab.close();
  }
}

describe.skipIf(!openssl || !nginx)('cipher suites, against openssl s_server and nginx', () => {
  let pki: Pki;
  let rsa: IssuedCertificate;
  let ecdsa: IssuedCertificate;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    pki = await createPki();
    rsa = pki.issueLeaf({ commonName: HOST, sans: [HOST] });
    ecdsa = pki.issueLeaf({ commonName: HOST, sans: [HOST], keyType: 'ec' });
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  const sServer = async (leaf: IssuedCertificate, options: Omit<OpensslServerOptions, 'certPem' | 'keyPem' | 'chainPem'>) => {
    const server = await startOpensslServer(openssl!, { certPem: leaf.certPem, keyPem: leaf.keyPem, chainPem: pki.intermediate.certPem, ...options });
    servers.push(server);
    return server;
  };
  const nginxTls = async (tls: Omit<NginxTls, 'certPem' | 'keyPem'>): Promise<RunningNginx> => {
    const server = await startNginx(nginx!, '', { certPem: pki.chainPem(rsa), keyPem: rsa.keyPem, ...tls });
    servers.push(server);
    return server;
  };

  it('an ECDSA-only s_server: tls-ciphers.ec-key, with the RSA certificate as the fix', async () => {
    const server = await sServer(ecdsa, {});
    for (const [finding] of await findingsOf(server.port, pki.root.certPem, 'tls-ciphers')) {
      expect(finding).toMatchObject({ code: 'tls-ciphers.ec-key', status: 'fail', subject: `127.0.0.1:${server.port}` });
      expect(finding?.remediation).toContain('RSA certificate (2048 bits or more)');
    }
  }, CASE_TIMEOUT_MS);

  it('s_server -cipher ECDHE-RSA-AES128-SHA -no_tls1_3: tls-ciphers.weak-only (SHA-1 CBC), no TLS 1.3', async () => {
    const server = await sServer(rsa, { cipher: 'ECDHE-RSA-AES128-SHA', tls13: false });
    for (const [finding] of await findingsOf(server.port, pki.root.certPem, 'tls-ciphers')) {
      expect(finding).toMatchObject({ code: 'tls-ciphers.weak-only', status: 'warn', data: { tls13: false, accepted: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'] } });
      expect(finding?.message).toContain('(SHA-1 CBC)');
    }
  }, CASE_TIMEOUT_MS);

  it('s_server -cipher AES256-GCM-SHA384 with TLS 1.3: tls-ciphers.weak-only (no forward secrecy), TLS 1.3 recorded', async () => {
    const server = await sServer(rsa, { cipher: 'AES256-GCM-SHA384' });
    for (const [finding] of await findingsOf(server.port, pki.root.certPem, 'tls-ciphers')) {
      expect(finding).toMatchObject({ code: 'tls-ciphers.weak-only', data: { tls13: true, microsoftPick: 'TLS_RSA_WITH_AES_256_GCM_SHA384' } });
      expect(finding?.message).toContain('no forward secrecy');
      expect(finding?.message).toContain('also accepts TLS 1.3');
    }
  }, CASE_TIMEOUT_MS);

  it('nginx with the ECDHE AES-GCM suites, TLS 1.2 only: tls-ciphers.pass', async () => {
    const server = await nginxTls({ ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384', protocols: 'TLSv1.2', serverPreference: true });
    for (const target of await runsOf(server.port, pki.root.certPem)) {
      expect(target.findings.find((finding) => finding.check === 'tls-ciphers')).toMatchObject({ code: 'tls-ciphers.pass', status: 'pass' });
      const [probe] = target.observations.tls;
      expect(probe?.handshake?.protocol).toBe('TLSv1.2');
      expect(probe?.ciphers).toMatchObject({ microsoftPick: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' });
    }
  }, CASE_TIMEOUT_MS);
});

describe.skipIf(!openssl || !nginx)('revocation, against an openssl CA, its CRLs on nginx and openssl ocsp', () => {
  let ca: OpensslCa;
  let web: RunningNginx;
  let responder: ServerProcess;
  const servers: ServerProcess[] = [];
  const leaves = {} as Record<'good' | 'revoked' | 'stale', OpensslCertificate>;

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
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...servers.map((server) => server.stop()), responder?.stop(), web?.stop()]);
    ca?.remove();
  });

  const peer = async (leaf: OpensslCertificate): Promise<ServerProcess> => {
    const server = await startOpensslServer(openssl!, { certPem: leaf.certPem, keyPem: leaf.keyPem, chainPem: ca.intermediate.certPem });
    servers.push(server);
    return server;
  };

  it('a good certificate: cert-revocation.pass from the CRL and the OCSP responder', async () => {
    const server = await peer(leaves.good);
    const fingerprint = parseCertificate(pemToDer(leaves.good.certPem)[0]!).fingerprintSha256;
    for (const target of await runsOf(server.port, ca.root.certPem)) {
      expect(target.findings.find((finding) => finding.check === 'cert-revocation')).toMatchObject({ code: 'cert-revocation.pass', status: 'pass' });
      const leaf = target.observations.revocation?.certificates.find((entry) => entry.fingerprintSha256 === fingerprint);
      expect(leaf?.crls).toEqual([expect.objectContaining({ url: web.url('/intermediate.crl'), reading: expect.objectContaining({ status: 'good' }) })]);
      expect(leaf?.ocsp).toEqual([expect.objectContaining({ reading: expect.objectContaining({ status: 'good', signer: expect.objectContaining({ kind: 'delegated-responder' }) }) })]);
    }
  }, CASE_TIMEOUT_MS);

  it('a revoked certificate: cert-revocation.revoked, by the CRL and by OCSP, with the reason', async () => {
    const server = await peer(leaves.revoked);
    for (const [finding] of await findingsOf(server.port, ca.root.certPem, 'cert-revocation')) {
      expect(finding).toMatchObject({ code: 'cert-revocation.revoked', status: 'fail' });
      expect(finding?.message).toContain('keyCompromise');
      expect(finding?.message).toMatch(/the CRL \S+ says revoked .* and the OCSP responder \S+ says revoked/);
    }
  }, CASE_TIMEOUT_MS);

  it('a CRL past its nextUpdate: cert-revocation.stale', async () => {
    const server = await peer(leaves.stale);
    for (const [finding] of await findingsOf(server.port, ca.root.certPem, 'cert-revocation')) {
      expect(finding).toMatchObject({ code: 'cert-revocation.stale', status: 'warn' });
      expect(finding?.message).toContain(web.url('/stale.crl'));
    }
  }, CASE_TIMEOUT_MS);
});
