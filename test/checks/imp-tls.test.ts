import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/imp-tls.js';
import type { TlsProbeObservation } from '../../src/model/observations.js';
import { federationTarget, nxdomain, runCheck, singleFinding } from '../helpers/builders/index.js';
import { daysFromNow, failedHandshakeProbe, tlsProbe, unconnectedProbe } from '../helpers/builders/index.js';
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
} from '../helpers/builders/index.js';

const LEAF = `CN=${IMP_NODE}, O=Cisco Example`;

function judge(probe: TlsProbeObservation, overrides?: Parameters<typeof singleFinding>[2]) {
  return singleFinding(check, impTarget({ tls: [probe] }), overrides);
}

/** A federation probe of the shared builders, moved to the IM/P listener. */
function asImp(probe: TlsProbeObservation): TlsProbeObservation {
  return { ...probe, host: IMP_FQDN, address: IMP_ADDRESS, port: IMP_PORT, purpose: 'imp' };
}

describe('imp-tls', () => {
  it('passes a listener that demands a client certificate and presents a valid, trusted certificate', () => {
    const finding = judge(impProbe());
    expect(finding).toMatchObject({ check: 'imp-tls', code: 'imp-tls.pass', status: 'pass', subject: IMP_SUBJECT });
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

  it("takes the demand for a client certificate from gather's verdict: an alert it did not classify fails the handshake", () => {
    const probe = impProbe({
      handshake: { outcome: 'alert', durationMs: 20, protocol: 'TLSv1.3', alert: 'certificate_required' },
    });
    const finding = judge(probe);
    expect(finding.code).toBe('imp-tls.handshake-failed');
  });

  it('passes a completed handshake that asks for a client certificate', () => {
    const finding = judge(impProbe({ handshake: { outcome: 'ok', durationMs: 20, protocol: 'TLSv1.3' }, clientAuth: { requested: 'requested' } }));
    expect(finding.code).toBe('imp-tls.pass');
  });

  it('passes when the client certificate presented with --cert is accepted', () => {
    const probe = impProbe({
      clientAuth: { requested: 'required', presentedCertificate: { subject: 'CN=expc.ciscoexample.com', accepted: true } },
    });
    const finding = judge(probe);
    expect(finding.code).toBe('imp-tls.pass');
  });

  it('fails when the client certificate presented is rejected, saying how to make IM and Presence trust it', () => {
    const probe = impProbe({
      clientAuth: {
        requested: 'required',
        presentedCertificate: { subject: 'CN=expc.ciscoexample.com', accepted: false, error: 'the server rejected it: alert unknown_ca' },
      },
    });
    const finding = judge(probe);
    expect(finding.code).toBe('imp-tls.client-certificate-rejected');
    expect(finding.remediation).toContain('If CN=expc.ciscoexample.com is the Expressway-C certificate, make IM and Presence trust it');
    expect(finding.remediation).toContain('as cup-trust');
    expect(finding.remediation).toContain('System > Security > TLS Peer Subjects');
    expect(finding.remediation).toContain('"Default Cisco SIP Proxy Peer Auth TLS Context"');
  });

  it('warns when the port does not ask for a client certificate (not the Peer Auth listener)', () => {
    const finding = judge(impProbe({ handshake: { outcome: 'ok', durationMs: 20, protocol: 'TLSv1.2' }, clientAuth: { requested: 'not-requested' } }));
    expect(finding.code).toBe('imp-tls.not-peer-auth');
    expect(finding.remediation).toContain('System > Application Listeners > "Default Cisco SIP Proxy TLS Listener - Peer Auth"');
  });

  it('fails an untrusted internal CA, saying to pass it with --ca', () => {
    const probe = impProbe({
      trust: { verdict: 'untrusted-root', detail: `the chain ends in the self-signed root "${INTERNAL_CA_NAME}", which is not a trusted root` },
    });
    const finding = judge(probe);
    expect(finding.code).toBe('imp-tls.untrusted-root');
    expect(finding.remediation).toContain('Pass the root of the CA that issued the IM and Presence cup certificate to fedcheck with --ca');
    expect(finding.remediation).toContain('IM and Presence usually carries an internal CA');
    expect(finding.data).toMatchObject({ trust: 'untrusted-root' });
  });

  it('names the missing root when the chain stops at an intermediate nobody trusts', () => {
    const probe = impProbe({
      chain: [impLeafCertificate()],
      trust: { verdict: 'untrusted-root', detail: 'the chain leads to an unknown issuer' },
    });
    expect(judge(probe).code).toBe('imp-tls.untrusted-root');
  });

  it("fails IM and Presence's default self-signed cup certificate, saying to pass it with --ca", () => {
    const selfSigned = impLeafCertificate({ issuer: LEAF, selfIssued: true });
    const probe = impProbe({ chain: [selfSigned], trust: { verdict: 'self-signed', detail: 'the leaf certificate is self-signed' } });
    const finding = judge(probe);
    expect(finding.code).toBe('imp-tls.self-signed');
    expect(finding.remediation).toContain('pass it to fedcheck with --ca (download "cup" from Cisco Unified OS Administration');
  });

  it('fails an incomplete chain, naming the missing intermediate', () => {
    const probe = impProbe({
      chain: [impLeafCertificate({ issuer: 'CN=Cisco Example Issuing CA' })],
      trust: { verdict: 'incomplete-chain', detail: 'an intermediate certificate is missing' },
    });
    const finding = judge(probe);
    expect(finding.code).toBe('imp-tls.incomplete-chain');
    expect(finding.remediation).toContain('Upload the intermediate CN=Cisco Example Issuing CA to IM and Presence as cup-trust');
  });

  it('is an error when the trust verdict could not be determined', () => {
    const finding = judge(impProbe({ trust: { verdict: 'unknown', detail: 'the leaf certificate could not be parsed' } }));
    expect(finding.code).toBe('imp-tls.trust-undetermined');
  });

  it.each([
    [20.5, 'imp-tls.expiring'],
    [10.5, 'imp-tls.expiring-critical'],
    [-3, 'imp-tls.expired'],
  ] as const)('judges the dates with the run clock and thresholds (%s days left → %s)', (daysLeft, code) => {
    const probe = impProbe({
      chain: [impLeafCertificate({ notAfter: daysFromNow(daysLeft) }), internalRootCertificate()],
      trust: { verdict: daysLeft < 0 ? 'expired' : 'trusted', detail: 'dates' },
    });
    const finding = judge(probe);
    expect(finding.code).toBe(code);
    expect(finding.remediation).toContain('Renew the IM and Presence cup certificate');
  });

  it('honours --warn-days from the context', () => {
    const probe = impProbe({ chain: [impLeafCertificate({ notAfter: daysFromNow(20.5) }), internalRootCertificate()] });
    expect(judge(probe, { warnDays: 15, critDays: 7 }).code).toBe('imp-tls.pass');
  });

  it('fails an expiring CA certificate with a CA remediation', () => {
    const probe = impProbe({ chain: [impLeafCertificate(), internalRootCertificate({ notAfter: daysFromNow(5) })] });
    const finding = judge(probe);
    expect(finding.code).toBe('imp-tls.expiring-critical');
    expect(finding.remediation).toContain(`Replace the CA certificate ${INTERNAL_CA_NAME} in the IM and Presence cup-trust store`);
  });

  it('combines problems: the worst status, every sentence and every remediation', () => {
    const probe = impProbe({
      chain: [impLeafCertificate({ notAfter: daysFromNow(20.5) }), internalRootCertificate()],
      trust: { verdict: 'untrusted-root', detail: 'not trusted' },
    });
    const finding = judge(probe);
    expect(finding.code).toBe('imp-tls.untrusted-root');
    expect(finding.remediation).toContain('--ca');
    expect(finding.remediation).toContain('Renew the IM and Presence cup certificate');
  });

  it('warns when the listener still accepts TLS 1.0', () => {
    const probe = impProbe({ legacyProtocols: [{ protocol: 'TLSv1', result: 'accepted' }, { protocol: 'TLSv1.1', result: 'refused' }] });
    const finding = judge(probe);
    expect(finding.code).toBe('imp-tls.legacy-accepted');
    expect(finding.remediation).toBe('On the admin CLI of every IM and Presence node, run "set tls min-version 1.2".');
  });

  it('is info when the certificate does not name the routing FQDN', () => {
    const finding = judge(impProbe({ chain: [impLeafCertificate({ sanDnsNames: [IMP_NODE] }), internalRootCertificate()] }));
    expect(finding.code).toBe('imp-tls.name-mismatch');
    expect(finding.data).toMatchObject({ namesFqdn: false, certificateNames: [IMP_NODE] });
  });

  it('is info when the listener demanded a client certificate before its certificate could be read', () => {
    const probe = impProbe({ chain: [] });
    delete probe.trust;
    const finding = judge(probe);
    expect(finding.code).toBe('imp-tls.certificate-unread');
  });

  it('fails a completed handshake without a certificate', () => {
    const probe = impProbe({ handshake: { outcome: 'ok', durationMs: 5, protocol: 'TLSv1.2' }, chain: [], trust: { verdict: 'no-certificate', detail: 'none' } });
    const finding = judge(probe);
    expect(finding.code).toBe('imp-tls.no-certificate-sent');
  });

  it('fails a refused connection: the listener is not up, and says where to check it', () => {
    const finding = judge(asImp(unconnectedProbe('refused')));
    expect(finding.code).toBe('imp-tls.refused');
    expect(finding.remediation).toContain(
      'In Cisco Unified CM IM and Presence Administration > System > Application Listeners > "Default Cisco SIP Proxy TLS Listener - Peer Auth", check the listener\'s port (5062 here',
    );
    expect(finding.remediation).toContain('--imp-port');
  });

  it('fails a timed-out connection: a firewall drops it', () => {
    const finding = judge(asImp(unconnectedProbe('timeout')));
    expect(finding.code).toBe('imp-tls.timeout');
    expect(finding.remediation).toContain('Allow TCP 5062 from the Expressway-C to 10.1.1.20');
    expect(finding.remediation).toContain('System > Application Listeners');
  });

  it('fails an unreachable address', () => {
    const finding = judge(asImp(unconnectedProbe('unreachable')));
    expect(finding.code).toBe('imp-tls.unreachable');
  });

  it.each([
    ['aborted', 'imp-tls.aborted'],
    ['error', 'imp-tls.local-error'],
  ] as const)('is an error when the connection %s on our side', (outcome, code) => {
    const finding = judge(asImp(unconnectedProbe(outcome)));
    expect(finding.code).toBe(code);
  });

  it('is an error, not a failure, when the run deadline cut the handshake short', () => {
    const finding = judge(asImp(failedHandshakeProbe('aborted', { error: 'the run deadline was reached during the handshake' })));
    expect(finding.code).toBe('imp-tls.handshake-aborted');
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
    expect(finding.code).toBe('imp-tls.client-certificate-undetermined');
  });

  it('fails a listener that negotiated a version below TLS 1.2', () => {
    const finding = judge(impProbe({ handshake: { outcome: 'client-certificate-required', durationMs: 20, protocol: 'TLSv1.1' } }));
    expect(finding.code).toBe('imp-tls.old-protocol');
    expect(finding.remediation).toContain('"set tls min-version 1.2"');
  });

  it('is an error when this machine has no route to an IPv6 listener', () => {
    const probe = asImp(
      unconnectedProbe('unreachable', { address: IMP_IPV6, family: 6, connect: { outcome: 'unreachable', durationMs: 1, error: 'connect ENETUNREACH' } }),
    );
    expect(judge({ ...probe, address: IMP_IPV6 }).code).toBe('imp-tls.no-ipv6-route');
  });

  it('is an error when no handshake was recorded, or one failed for a reason fedcheck cannot attribute', () => {
    const probe = impProbe();
    delete probe.handshake;
    expect(judge(probe).code).toBe('imp-tls.no-handshake-recorded');
    expect(judge(asImp(failedHandshakeProbe('error', { error: 'EPROTO odd' }))).code).toBe('imp-tls.handshake-error');
  });

  it('fails a chain ending at a private root that is not a trust anchor', () => {
    const probe = impProbe({ trust: { verdict: 'self-signed', detail: 'self-signed certificate in certificate chain' } });
    const finding = judge(probe);
    expect(finding.code).toBe('imp-tls.private-root');
    expect(finding.remediation).toContain('--ca');
  });

  it('is an error when the trust verdict is missing or contradicts the chain', () => {
    const unrecorded = impProbe();
    delete unrecorded.trust;
    expect(judge(unrecorded).code).toBe('imp-tls.no-trust-verdict');
    expect(judge(impProbe({ trust: { verdict: 'no-certificate', detail: 'none' } })).code).toBe('imp-tls.trust-contradiction');
  });

  it('fails a certificate that is not valid yet, and is an error on dates it cannot read', () => {
    const early = impProbe({ chain: [impLeafCertificate({ notBefore: daysFromNow(2) }), internalRootCertificate()] });
    expect(judge(early).code).toBe('imp-tls.not-yet-valid');
    const unreadable = impProbe({ chain: [impLeafCertificate({ notAfter: 'not a date' }), internalRootCertificate()] });
    expect(judge(unreadable).code).toBe('imp-tls.unreadable-date');
  });

  it('fails a listener below TLS 1.2', () => {
    const finding = judge(asImp(failedHandshakeProbe('protocol-mismatch', { alert: 'protocol_version' })));
    expect(finding.code).toBe('imp-tls.protocol-mismatch');
    expect(finding.remediation).toContain('"set tls min-version 1.2"');
  });

  it('fails a port that answers in plain text', () => {
    const finding = judge(asImp(failedHandshakeProbe('plaintext', { plaintextSample: 'SIP/2.0 400 Bad Request' })));
    expect(finding.code).toBe('imp-tls.plaintext');
  });

  it.each(['reset', 'timeout', 'alert'] as const)('fails a handshake that ends in %s', (outcome) => {
    const finding = judge(asImp(failedHandshakeProbe(outcome, outcome === 'alert' ? { alert: 'internal_error' } : {})));
    expect(finding.code).toBe('imp-tls.handshake-failed');
    expect(finding.remediation).toContain('Default Cisco SIP Proxy Peer Auth TLS Context');
  });

  it('names IPv6 listeners in brackets, one finding per address', () => {
    const target = impTarget({ ipv6: [IMP_IPV6] });
    const findings = runCheck(check, target);
    expect(findings.map((finding) => [finding.subject, finding.code])).toEqual([
      [IMP_SUBJECT, 'imp-tls.pass'],
      ['[2001:db8:10::20]:5062', 'imp-tls.pass'],
    ]);
  });

  it('judges only the IM and Presence probes, never the federation edge', () => {
    const finding = singleFinding(check, impTarget({ tls: [tlsProbe()] }));
    expect(finding.code).toBe('imp-tls.not-probed');
    expect(finding.subject).toBe(IMP_FQDN);
  });

  it('skips when the routing FQDN has no address', () => {
    const at = { resolver: INTERNAL_RESOLVER };
    const target = impTarget({ impQueries: [nxdomain(IMP_FQDN, 'A', at), nxdomain(IMP_FQDN, 'AAAA', at)], tls: [] });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('imp-tls.no-address');
  });

  it('skips, saying so, when the deadline cut the probes short', () => {
    const finding = singleFinding(check, impTarget({ tls: [], deadlineExceeded: true }));
    expect(finding.code).toBe('imp-tls.not-probed');
  });

  it('produces nothing without --imp-fqdn', () => {
    expect(runCheck(check, federationTarget())).toEqual([]);
  });
});
