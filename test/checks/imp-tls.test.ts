import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/imp-tls.js';
import type { TlsProbeObservation } from '../../src/model/observations.js';
import { federationTarget, nxdomain, runCheck, singleFinding } from './observations.js';
import { daysFromNow, failedHandshakeProbe, tlsProbe, unconnectedProbe } from './tls-observations.js';
import {
  IMP_ADDRESS,
  IMP_FQDN,
  IMP_IPV6,
  IMP_NODE,
  IMP_PORT,
  IMP_SUBJECT,
  INTERNAL_CA_NAME,
  INTERNAL_RESOLVER,
  impLeafCertificate,
  impProbe,
  impTarget,
  internalRootCertificate,
} from './imp-observations.js';

const LEAF = `CN=${IMP_NODE}, O=Cisco Example`;

function judge(probe: TlsProbeObservation, overrides?: Parameters<typeof singleFinding>[2]) {
  return singleFinding(check, impTarget({ tls: [probe] }), overrides);
}

/** A probe moved to the IM/P listener, from the federation builders of tls-observations.ts. */
function asImp(probe: TlsProbeObservation): TlsProbeObservation {
  return { ...probe, host: IMP_FQDN, address: IMP_ADDRESS, port: IMP_PORT, purpose: 'imp' };
}

describe('imp-tls', () => {
  it('passes a listener that demands a client certificate and presents a valid, trusted certificate', () => {
    const finding = judge(impProbe());
    expect(finding).toMatchObject({ check: 'imp-tls', status: 'pass', subject: IMP_SUBJECT });
    expect(finding.message).toContain(
      'The IM and Presence TLS peer-authentication listener at 10.1.1.20:5062 answers TLS (TLSv1.2, ECDHE-RSA-AES256-GCM-SHA384)',
    );
    expect(finding.message).toContain('it negotiates TLSv1.2');
    expect(finding.message).toContain('it demands a client certificate and ended the handshake when fedcheck presented none');
    expect(finding.message).toContain(`its certificate ${LEAF} validates to a trusted root`);
    expect(finding.message).toContain(`first to expire: the leaf ${LEAF} expires on 2026-01-01, in 213 days`);
    expect(finding.remediation).toBeUndefined();
    expect(finding.data).toMatchObject({
      fqdn: IMP_FQDN,
      handshake: 'client-certificate-required',
      protocol: 'TLSv1.2',
      trust: 'trusted',
      namesFqdn: true,
      chain: [LEAF, INTERNAL_CA_NAME],
    });
  });

  it('passes when the listener ends the handshake with a certificate_required alert', () => {
    const probe = impProbe({
      handshake: { outcome: 'alert', durationMs: 20, protocol: 'TLSv1.3', alert: 'certificate_required' },
    });
    const finding = judge(probe);
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain('it negotiates TLSv1.3');
  });

  it('passes a completed handshake that asks for a client certificate', () => {
    const finding = judge(impProbe({ handshake: { outcome: 'ok', durationMs: 20, protocol: 'TLSv1.3' }, clientAuth: { requested: 'requested' } }));
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain('it asks for a client certificate (peer authentication)');
  });

  it('passes when the client certificate presented with --cert is accepted', () => {
    const probe = impProbe({
      clientAuth: { requested: 'required', presentedCertificate: { subject: 'CN=expc.ciscoexample.com', accepted: true } },
    });
    const finding = judge(probe);
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain('it accepted the client certificate CN=expc.ciscoexample.com presented with --cert');
  });

  it('fails when the client certificate presented is rejected, saying how to make IM and Presence trust it', () => {
    const probe = impProbe({
      clientAuth: {
        requested: 'required',
        presentedCertificate: { subject: 'CN=expc.ciscoexample.com', accepted: false, error: 'the server rejected it: alert unknown_ca' },
      },
    });
    const finding = judge(probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(
      'it rejected the client certificate CN=expc.ciscoexample.com presented with --cert (the server rejected it: alert unknown_ca)',
    );
    expect(finding.remediation).toContain('If CN=expc.ciscoexample.com is the Expressway-C certificate, make IM and Presence trust it');
    expect(finding.remediation).toContain('as cup-trust');
    expect(finding.remediation).toContain('System > Security > TLS Peer Subjects');
    expect(finding.remediation).toContain('"Default Cisco SIP Proxy Peer Auth TLS Context"');
  });

  it('warns when the port does not ask for a client certificate (not the Peer Auth listener)', () => {
    const finding = judge(impProbe({ handshake: { outcome: 'ok', durationMs: 20, protocol: 'TLSv1.2' }, clientAuth: { requested: 'not-requested' } }));
    expect(finding.status).toBe('warn');
    expect(finding.message).toContain('it does not ask for a client certificate, so port 5062 is not a peer-authentication listener');
    expect(finding.remediation).toContain('System > Application Listeners > "Default Cisco SIP Proxy TLS Listener - Peer Auth"');
  });

  it('fails an untrusted internal CA, saying to pass it with --ca', () => {
    const probe = impProbe({
      trust: { verdict: 'untrusted-root', detail: `the chain ends in the self-signed root "${INTERNAL_CA_NAME}", which is not a trusted root` },
    });
    const finding = judge(probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`its chain leads to ${INTERNAL_CA_NAME}, which is not a trusted root`);
    expect(finding.remediation).toContain('Pass the root of the CA that issued the IM and Presence cup certificate to fedcheck with --ca');
    expect(finding.remediation).toContain('IM and Presence usually carries an internal CA');
    expect(finding.data).toMatchObject({ trust: 'untrusted-root' });
  });

  it('names the missing root when the chain stops at an intermediate nobody trusts', () => {
    const probe = impProbe({
      chain: [impLeafCertificate()],
      trust: { verdict: 'untrusted-root', detail: 'the chain leads to an unknown issuer' },
    });
    expect(judge(probe).message).toContain(`its chain leads to ${INTERNAL_CA_NAME}, which is not a trusted root`);
  });

  it("fails IM and Presence's default self-signed cup certificate, saying to pass it with --ca", () => {
    const selfSigned = impLeafCertificate({ issuer: LEAF, selfIssued: true });
    const probe = impProbe({ chain: [selfSigned], trust: { verdict: 'self-signed', detail: 'the leaf certificate is self-signed' } });
    const finding = judge(probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`its certificate ${LEAF} is self-signed and not among the trust anchors`);
    expect(finding.remediation).toContain('pass it to fedcheck with --ca (download "cup" from Cisco Unified OS Administration');
  });

  it('fails an incomplete chain, naming the missing intermediate', () => {
    const probe = impProbe({
      chain: [impLeafCertificate({ issuer: 'CN=Cisco Example Issuing CA' })],
      trust: { verdict: 'incomplete-chain', detail: 'an intermediate certificate is missing' },
    });
    const finding = judge(probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`its chain is incomplete: it sends ${LEAF} but not CN=Cisco Example Issuing CA`);
    expect(finding.remediation).toContain('Upload the intermediate CN=Cisco Example Issuing CA to IM and Presence as cup-trust');
  });

  it('is an error when the trust verdict could not be determined', () => {
    const finding = judge(impProbe({ trust: { verdict: 'unknown', detail: 'the leaf certificate could not be parsed' } }));
    expect(finding.status).toBe('error');
    expect(finding.message).toContain('whether its certificate is trusted could not be determined (the leaf certificate could not be parsed)');
  });

  it.each([
    [20.5, 'warn', 'in 20 days (warning within 30 days, failure within 14 days)'],
    [10.5, 'fail', 'in 10 days'],
    [-3, 'fail', 'expired on 2025-05-29 (3 days ago)'],
  ] as const)('judges the dates with the run clock and thresholds (%s days left → %s)', (daysLeft, status, phrase) => {
    const probe = impProbe({
      chain: [impLeafCertificate({ notAfter: daysFromNow(daysLeft) }), internalRootCertificate()],
      trust: { verdict: daysLeft < 0 ? 'expired' : 'trusted', detail: 'dates' },
    });
    const finding = judge(probe);
    expect(finding.status).toBe(status);
    expect(finding.message).toContain(`the leaf ${LEAF}`);
    expect(finding.message).toContain(phrase);
    expect(finding.remediation).toContain('Renew the IM and Presence cup certificate');
  });

  it('honours --warn-days from the context', () => {
    const probe = impProbe({ chain: [impLeafCertificate({ notAfter: daysFromNow(20.5) }), internalRootCertificate()] });
    expect(judge(probe, { warnDays: 15, critDays: 7 }).status).toBe('pass');
  });

  it('fails an expiring CA certificate with a CA remediation', () => {
    const probe = impProbe({ chain: [impLeafCertificate(), internalRootCertificate({ notAfter: daysFromNow(5) })] });
    const finding = judge(probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`the root ${INTERNAL_CA_NAME} expires on`);
    expect(finding.remediation).toContain(`Replace the CA certificate ${INTERNAL_CA_NAME} in the IM and Presence cup-trust store`);
  });

  it('combines problems: the worst status, every sentence and every remediation', () => {
    const probe = impProbe({
      chain: [impLeafCertificate({ notAfter: daysFromNow(20.5) }), internalRootCertificate()],
      trust: { verdict: 'untrusted-root', detail: 'not trusted' },
    });
    const finding = judge(probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('which is not a trusted root');
    expect(finding.message).toContain('in 20 days');
    expect(finding.remediation).toContain('--ca');
    expect(finding.remediation).toContain('Renew the IM and Presence cup certificate');
  });

  it('warns when the listener still accepts TLS 1.0', () => {
    const probe = impProbe({ legacyProtocols: [{ protocol: 'TLSv1', result: 'accepted' }, { protocol: 'TLSv1.1', result: 'refused' }] });
    const finding = judge(probe);
    expect(finding.status).toBe('warn');
    expect(finding.message).toContain('it still accepts TLSv1 when a client offers only that');
    expect(finding.remediation).toBe('On the admin CLI of every IM and Presence node, run "set tls min-version 1.2".');
  });

  it('is info when the certificate does not name the routing FQDN', () => {
    const finding = judge(impProbe({ chain: [impLeafCertificate({ sanDnsNames: [IMP_NODE] }), internalRootCertificate()] }));
    expect(finding.status).toBe('info');
    expect(finding.message).toContain(`its certificate does not name ${IMP_FQDN} (it names ${IMP_NODE})`);
    expect(finding.data).toMatchObject({ namesFqdn: false, certificateNames: [IMP_NODE] });
  });

  it('is info when the listener demanded a client certificate before its certificate could be read', () => {
    const probe = impProbe({ chain: [] });
    delete probe.trust;
    const finding = judge(probe);
    expect(finding.status).toBe('info');
    expect(finding.message).toContain('its certificate could not be read before the handshake ended');
  });

  it('fails a completed handshake without a certificate', () => {
    const probe = impProbe({ handshake: { outcome: 'ok', durationMs: 5, protocol: 'TLSv1.2' }, chain: [], trust: { verdict: 'no-certificate', detail: 'none' } });
    const finding = judge(probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('without presenting a certificate');
  });

  it('fails a refused connection: the listener is not up, and says where to check it', () => {
    const finding = judge(asImp(unconnectedProbe('refused')));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('TCP connection to 10.1.1.20:5062 refused: nothing listens on port 5062 at 10.1.1.20');
    expect(finding.message).toContain('"Default Cisco SIP Proxy TLS Listener - Peer Auth"');
    expect(finding.remediation).toContain(
      'In Cisco Unified CM IM and Presence Administration > System > Application Listeners > "Default Cisco SIP Proxy TLS Listener - Peer Auth", check the listener\'s port (5062 here',
    );
    expect(finding.remediation).toContain('--imp-port');
  });

  it('fails a timed-out connection: a firewall drops it', () => {
    const finding = judge(asImp(unconnectedProbe('timeout')));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('timed out after 4000 ms: packets to port 5062 are dropped');
    expect(finding.remediation).toContain('Allow TCP 5062 from the Expressway-C to 10.1.1.20');
    expect(finding.remediation).toContain('System > Application Listeners');
  });

  it('fails an unreachable address', () => {
    const finding = judge(asImp(unconnectedProbe('unreachable')));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('the network reports 10.1.1.20 unreachable (connect EHOSTUNREACH)');
  });

  it.each([
    ['aborted', "the run's --timeout expired"],
    ['error', "failed on this machine's side (connect EADDRNOTAVAIL)"],
  ] as const)('is an error when the connection %s on our side', (outcome, phrase) => {
    const finding = judge(asImp(unconnectedProbe(outcome)));
    expect(finding.status).toBe('error');
    expect(finding.message).toContain(phrase);
  });

  it('is an error, not a failure, when the run deadline cut the handshake short', () => {
    const finding = judge(asImp(failedHandshakeProbe('aborted', { error: 'the run deadline was reached during the handshake' })));
    expect(finding.status).toBe('error');
    expect(finding.message).toBe(
      "Not determined: the run's --timeout expired during the TLS handshake with 10.1.1.20:5062, so nothing is known " +
        'about the listener. Run again with a longer --timeout.',
    );
    expect(finding.data).toMatchObject({ handshake: 'aborted' });
  });

  it('does not call the --cert certificate rejected when the run deadline cut its handshake short', () => {
    const probe = impProbe({
      clientAuth: {
        requested: 'required',
        presentedCertificate: { subject: 'CN=expc.ciscoexample.com', accepted: false, error: 'aborted: the run deadline was reached during the handshake', cutShort: true },
      },
    });
    const finding = judge(probe);
    expect(finding.status).toBe('error');
    expect(finding.message).toContain('whether it accepts the client certificate CN=expc.ciscoexample.com presented with --cert is not determined');
    expect(finding.message).not.toContain('rejected');
  });

  it('fails a listener below TLS 1.2', () => {
    const finding = judge(asImp(failedHandshakeProbe('protocol-mismatch', { alert: 'protocol_version' })));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('shares no TLS version with a TLS 1.2+ client');
    expect(finding.remediation).toContain('"set tls min-version 1.2"');
  });

  it('fails a port that answers in plain text', () => {
    const finding = judge(asImp(failedHandshakeProbe('plaintext', { plaintextSample: 'SIP/2.0 400 Bad Request' })));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain("answers in plain text ('SIP/2.0 400 Bad Request'): port 5062 is not a TLS listener");
  });

  it.each([
    ['reset', 'the connection was reset'],
    ['timeout', 'no TLS reply within 4000 ms'],
    ['alert', 'TLS alert internal_error'],
  ] as const)('fails a handshake that ends in %s', (outcome, phrase) => {
    const finding = judge(asImp(failedHandshakeProbe(outcome, outcome === 'alert' ? { alert: 'internal_error' } : {})));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`The TLS handshake with 10.1.1.20:5062 failed: ${phrase}`);
    expect(finding.remediation).toContain('Default Cisco SIP Proxy Peer Auth TLS Context');
  });

  it('names IPv6 listeners in brackets, one finding per address', () => {
    const target = impTarget({ ipv6: [IMP_IPV6] });
    const findings = runCheck(check, target);
    expect(findings.map((finding) => [finding.subject, finding.status])).toEqual([
      [IMP_SUBJECT, 'pass'],
      ['[2001:db8:10::20]:5062', 'pass'],
    ]);
  });

  it('judges only the IM and Presence probes, never the federation edge', () => {
    const finding = singleFinding(check, impTarget({ tls: [tlsProbe()] }));
    expect(finding.status).toBe('skip');
    expect(finding.subject).toBe(IMP_FQDN);
    expect(finding.message).toBe('Not checked: no TLS probe of 10.1.1.20 port 5062 was recorded.');
  });

  it('skips when the routing FQDN has no address', () => {
    const at = { resolver: INTERNAL_RESOLVER };
    const target = impTarget({ impQueries: [nxdomain(IMP_FQDN, 'A', at), nxdomain(IMP_FQDN, 'AAAA', at)], tls: [] });
    const finding = singleFinding(check, target);
    expect(finding.status).toBe('skip');
    expect(finding.message).toContain('no IM and Presence listener to connect to (see imp-fqdn-address)');
  });

  it('skips, saying so, when the deadline cut the probes short', () => {
    const finding = singleFinding(check, impTarget({ tls: [], deadlineExceeded: true }));
    expect(finding.status).toBe('skip');
    expect(finding.message).toContain("the run's --timeout expired before 10.1.1.20 port 5062 could be probed");
  });

  it('produces nothing without --imp-fqdn', () => {
    expect(runCheck(check, federationTarget())).toEqual([]);
  });
});
