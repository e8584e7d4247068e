// The SIP OPTIONS probe and the TLS probe against Kamailio, a SIP server fedcheck did not write.
// Skipped, visibly, where Kamailio is not installed; CI installs it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSipOptions, type SipOptionsRequest } from '../../src/gather/sip/options.js';
import { probeTls } from '../../src/gather/tls/probe.js';
import { createPki, type IssuedCertificate, type Pki } from '../../src/lab/pki.js';
import { kamailioAvailability, startKamailio, type RunningKamailio } from '../helpers/kamailio.js';

const HOST = 'sip.example.com';
const DOMAIN = 'example.com';
/** Kamailio answers in milliseconds; the bound only has to survive a loaded CI machine. */
const TIMEOUT_MS = 8_000;
/** Starting Kamailio (and generating the PKI) on a loaded 2-core machine. */
const SETUP_TIMEOUT_MS = 60_000;

const availability = kamailioAvailability();
if (!availability.available) console.warn(`${availability.reason}: skipping the Kamailio tests`);
const describeWithKamailio = availability.available ? describe : describe.skip;

function sipRequest(server: RunningKamailio, overrides: Partial<SipOptionsRequest> = {}): SipOptionsRequest {
  return { host: HOST, domain: DOMAIN, address: server.address, port: server.port, timeoutMs: TIMEOUT_MS, ...overrides };
}

describeWithKamailio('Kamailio over TLS', () => {
  let pki: Pki;
  let serverLeaf: IssuedCertificate;
  let clientLeaf: IssuedCertificate;
  let plain: RunningKamailio | undefined;
  let mutual: RunningKamailio | undefined;

  beforeAll(async () => {
    if (!availability.available) return;
    pki = await createPki();
    serverLeaf = pki.issueLeaf({ commonName: HOST, sans: [HOST] });
    clientLeaf = pki.issueLeaf({ commonName: 'expressway.example.org', sans: ['expressway.example.org'] });
    [plain, mutual] = await Promise.all([
      startKamailio(availability.binary, { certPem: pki.chainPem(serverLeaf), keyPem: serverLeaf.keyPem }),
      startKamailio(availability.binary, {
        certPem: pki.chainPem(serverLeaf),
        keyPem: serverLeaf.keyPem,
        caPem: pki.root.certPem,
        requireClientCertificate: true,
      }),
    ]);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([plain?.stop(), mutual?.stop()]);
  }, SETUP_TIMEOUT_MS);

  function running(server: RunningKamailio | undefined): RunningKamailio {
    if (!server) throw new Error('Kamailio did not start');
    return server;
  }

  it('answers OPTIONS with 200 OK and its own Server header', async () => {
    const server = running(plain);
    const observation = await probeSipOptions(sipRequest(server));
    expect(observation, server.logs()).toMatchObject({ outcome: 'response', statusCode: 200, statusLine: 'SIP/2.0 200 OK' });
    expect(observation.server).toMatch(/^kamailio \(\d+\.\d+/);
    expect(observation.rttMs).toBeGreaterThanOrEqual(0);
    expect(observation.rttMs).toBeLessThan(TIMEOUT_MS);
    expect(observation.error).toBeUndefined();
  });

  it('is seen by the TLS probe with the lab certificate it was given', async () => {
    const server = running(plain);
    const observation = await probeTls({
      host: HOST,
      address: server.address,
      port: server.port,
      purpose: 'federation',
      timeoutMs: TIMEOUT_MS,
      trustAnchors: [pki.root.certPem],
      probeLegacy: false,
    });
    expect(observation.handshake?.outcome, server.logs()).toBe('ok');
    expect(observation.chain.map((certificate) => certificate.fingerprintSha256)).toEqual([
      serverLeaf.cert.fingerprintSha256,
      pki.intermediate.cert.fingerprintSha256,
    ]);
    expect(observation.trust?.verdict).toBe('trusted');
  });

  it('answers every probe of a burst, each on its own connection', async () => {
    const server = running(plain);
    const observations = await Promise.all(Array.from({ length: 4 }, () => probeSipOptions(sipRequest(server))));
    expect(observations.map((observation) => observation.statusCode)).toEqual([200, 200, 200, 200]);
  });

  it('with mutual TLS required, reads no request without a client certificate', async () => {
    const server = running(mutual);
    const observation = await probeSipOptions(sipRequest(server));
    // TLS 1.3: the client finishes its handshake first; Kamailio's refusal arrives as an alert.
    expect(observation, server.logs()).toMatchObject({ outcome: 'not-sent' });
    expect(observation.error).toMatch(/certificate_required|handshake_failure/);
    expect(observation.statusCode).toBeUndefined();
  });

  it('with mutual TLS required, answers a client that presents a trusted certificate', async () => {
    const server = running(mutual);
    const observation = await probeSipOptions(
      sipRequest(server, { clientCertificate: { certPem: pki.chainPem(clientLeaf), keyPem: clientLeaf.keyPem } }),
    );
    expect(observation, server.logs()).toMatchObject({ outcome: 'response', statusCode: 200 });
    expect(observation.server).toMatch(/^kamailio/);
  });
});
