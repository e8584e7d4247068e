import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/tls-connect.js';
import { federationTarget, nxdomain, runCheck, singleFinding, srv, srvName, targetObservations } from '../helpers/builders/index.js';
import { HOST, PARTNER_DOMAIN, SUBJECT, judgeAll, judgeOne, partnerProbe, tlsProbe, unconnectedProbe } from '../helpers/builders/index.js';

describe('tls-connect', () => {
  it('passes when TCP connects, naming the peer address:port', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'tls-connect', code: 'tls-connect.pass', status: 'pass', subject: SUBJECT });
    expect(finding.data).toMatchObject({ outcome: 'connected' });
    expect(finding.reference).toBe(check.meta.source);
  });

  it('gives one finding per peer, IPv6 peers in brackets', () => {
    const findings = judgeAll(check, [
      tlsProbe(),
      unconnectedProbe('refused', { address: '192.0.2.11' }),
      tlsProbe({ address: '2001:db8::10', family: 6 }),
    ]);
    expect(findings.map((finding) => [finding.subject, finding.code])).toEqual([
      [SUBJECT, 'tls-connect.pass'],
      ['192.0.2.11:5061', 'tls-connect.refused'],
      ['[2001:db8::10]:5061', 'tls-connect.pass'],
    ]);
  });

  it('skips a probe of port 0 from the SRV record, pointing at srv-port instead of a firewall', () => {
    const probe = unconnectedProbe('refused', { port: 0 });
    const finding = judgeOne(check, probe);
    expect(finding).toMatchObject({ code: 'tls-connect.port-zero', status: 'skip', subject: '192.0.2.10:0' });
    expect(judgeOne(check, unconnectedProbe('error', { port: 0 })).code).toBe('tls-connect.port-zero');
  });

  it('fails on a refused connection: nothing listening', () => {
    const finding = judgeOne(check, unconnectedProbe('refused'));
    expect(finding.code).toBe('tls-connect.refused');
    expect(finding.subject).toBe(SUBJECT);
    expect(finding.remediation).toContain('TLS mode On, TLS port 5061');
    expect(finding.remediation).toContain('192.0.2.10');
  });

  it('fails on a timeout: packets dropped by a firewall', () => {
    const finding = judgeOne(check, unconnectedProbe('timeout'));
    expect(finding.code).toBe('tls-connect.timeout');
    expect(finding.remediation).toContain('Allow TCP 5061 inbound');
    expect(finding.data).toMatchObject({ outcome: 'timeout', durationMs: 4000 });
  });

  it('fails on an unreachable address', () => {
    const finding = judgeOne(check, unconnectedProbe('unreachable'));
    expect(finding.code).toBe('tls-connect.unreachable');
    expect(finding.remediation).toContain('remove it from the SRV target\'s A records');
  });

  it('does not blame an IPv6 peer when this machine has no IPv6 route', () => {
    const probe = unconnectedProbe('unreachable', {
      address: '2001:db8::10',
      family: 6,
      connect: { outcome: 'unreachable', durationMs: 1, error: 'connect ENETUNREACH 2001:db8::10:5061' },
    });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('tls-connect.no-ipv6-route');
    expect(finding.subject).toBe('[2001:db8::10]:5061');
    expect(finding.remediation).toBeUndefined();
  });

  it('fails an IPv6 peer that a router reports unreachable', () => {
    const probe = unconnectedProbe('unreachable', { address: '2001:db8::10', family: 6 });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('tls-connect.unreachable');
    expect(finding.remediation).toContain('AAAA records');
  });

  it('reports an error, not a failure, when the run deadline cut the connection short', () => {
    const finding = judgeOne(check, unconnectedProbe('aborted'));
    expect(finding.code).toBe('tls-connect.aborted');
  });

  it('reports an error for a local connection error it cannot attribute to the peer', () => {
    const finding = judgeOne(check, unconnectedProbe('error'));
    expect(finding.code).toBe('tls-connect.local-error');
  });

  it('phrases the remediation as a request to the partner for a partner domain', () => {
    const finding = judgeOne(check, partnerProbe({ connect: { outcome: 'refused', durationMs: 1 }, chain: [] }), { role: 'partner' });
    expect(finding.code).toBe('tls-connect.refused');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
    expect(finding.remediation).not.toContain('Configuration > Protocols');
  });

  describe('without federation peers', () => {
    it('skips with the SRV reason when there is no SRV record', () => {
      const findings = runCheck(check, targetObservations({ dns: [nxdomain(srvName('ciscoexample.com'), 'SRV')] }));
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ code: 'tls-connect.no-peers', status: 'skip', subject: srvName('ciscoexample.com') });
    });

    it('skips when the SRV target is "."', () => {
      const finding = singleFinding(check, federationTarget({ srv: [srv(0, 0, 0, '.')] }));
      expect(finding.code).toBe('tls-connect.no-peers');
    });

    it('skips when the SRV target has no address', () => {
      const finding = singleFinding(check, federationTarget({ ipv4: [] }));
      expect(finding.code).toBe('tls-connect.no-peers');
      expect(finding.subject).toBe(HOST);
    });

    it('skips naming the deadline when the run ran out of time before probing', () => {
      const finding = singleFinding(check, { ...federationTarget(), deadlineExceeded: true });
      expect(finding.code).toBe('tls-connect.no-peers');
    });

    it('skips when no probe was recorded, and ignores IM and Presence probes', () => {
      const target = { ...federationTarget(), tls: [tlsProbe({ purpose: 'imp', port: 5062 })] };
      const finding = singleFinding(check, target);
      expect(finding.code).toBe('tls-connect.no-peers');
    });
  });
});
