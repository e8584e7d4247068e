import { describe, expect, it } from 'vitest';
import { check, connectionFailurePhrase } from '../../src/checks/tls-connect.js';
import { federationTarget, nxdomain, runCheck, singleFinding, srv, srvName, targetObservations } from './observations.js';
import { HOST, PARTNER_DOMAIN, SUBJECT, judgeAll, judgeOne, partnerProbe, tlsProbe, unconnectedProbe } from './tls-observations.js';

describe('tls-connect', () => {
  it('passes when TCP connects, naming the peer address:port', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'tls-connect', status: 'pass', subject: SUBJECT });
    expect(finding.message).toContain('established in 21 ms');
    expect(finding.data).toMatchObject({ outcome: 'connected' });
    expect(finding.reference).toBe(check.meta.source);
  });

  it('gives one finding per peer, IPv6 peers in brackets', () => {
    const findings = judgeAll(check, [
      tlsProbe(),
      unconnectedProbe('refused', { address: '192.0.2.11' }),
      tlsProbe({ address: '2001:db8::10', family: 6 }),
    ]);
    expect(findings.map((finding) => [finding.subject, finding.status])).toEqual([
      [SUBJECT, 'pass'],
      ['192.0.2.11:5061', 'fail'],
      ['[2001:db8::10]:5061', 'pass'],
    ]);
  });

  it('skips a probe of port 0 from the SRV record, pointing at srv-port instead of a firewall', () => {
    const probe = unconnectedProbe('refused', { port: 0 });
    const finding = judgeOne(check, probe);
    expect(finding).toMatchObject({ status: 'skip', subject: '192.0.2.10:0' });
    expect(finding.message).toContain('the SRV record Microsoft selects gives port 0, which is not a usable port');
    expect(finding.message).toContain('srv-port');
    expect(finding.message).not.toContain('nothing is listening');
    expect(finding.message).not.toContain('forwards port 0');
    expect(connectionFailurePhrase(probe)).toBe('cannot be made: port 0 (from the SRV record) is not a usable port, see srv-port');
    expect(judgeOne(check, unconnectedProbe('error', { port: 0 })).status).toBe('skip');
  });

  it('fails on a refused connection: nothing listening', () => {
    const finding = judgeOne(check, unconnectedProbe('refused'));
    expect(finding.status).toBe('fail');
    expect(finding.subject).toBe(SUBJECT);
    expect(finding.message).toContain('refused');
    expect(finding.message).toContain('nothing is listening on port 5061');
    expect(finding.message).toContain('firewall forwards port 5061 to a host with no listener');
    expect(finding.remediation).toContain('TLS mode On, TLS port 5061');
    expect(finding.remediation).toContain('192.0.2.10');
  });

  it('fails on a timeout: packets dropped by a firewall', () => {
    const finding = judgeOne(check, unconnectedProbe('timeout'));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('timed out');
    expect(finding.message).toContain('4000 ms');
    expect(finding.message).toContain('firewall');
    expect(finding.remediation).toContain('Allow TCP 5061 inbound');
    expect(finding.data).toMatchObject({ outcome: 'timeout', durationMs: 4000 });
  });

  it('fails on an unreachable address', () => {
    const finding = judgeOne(check, unconnectedProbe('unreachable'));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('unreachable');
    expect(finding.message).toContain('EHOSTUNREACH');
    expect(finding.remediation).toContain('remove it from the SRV target\'s A records');
  });

  it('does not blame an IPv6 peer when this machine has no IPv6 route', () => {
    const probe = unconnectedProbe('unreachable', {
      address: '2001:db8::10',
      family: 6,
      connect: { outcome: 'unreachable', durationMs: 1, error: 'connect ENETUNREACH 2001:db8::10:5061' },
    });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('error');
    expect(finding.subject).toBe('[2001:db8::10]:5061');
    expect(finding.message).toContain('no IPv6 connectivity');
    expect(finding.remediation).toBeUndefined();
  });

  it('fails an IPv6 peer that a router reports unreachable', () => {
    const probe = unconnectedProbe('unreachable', { address: '2001:db8::10', family: 6 });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('fail');
    expect(finding.remediation).toContain('AAAA records');
  });

  it('reports an error, not a failure, when the run deadline cut the connection short', () => {
    const finding = judgeOne(check, unconnectedProbe('aborted'));
    expect(finding.status).toBe('error');
    expect(finding.message).toContain('--timeout expired');
  });

  it('reports an error for a local connection error it cannot attribute to the peer', () => {
    const finding = judgeOne(check, unconnectedProbe('error'));
    expect(finding.status).toBe('error');
    expect(finding.message).toContain('EADDRNOTAVAIL');
  });

  it('phrases the remediation as a request to the partner for a partner domain', () => {
    const finding = judgeOne(check, partnerProbe({ connect: { outcome: 'refused', durationMs: 1 }, chain: [] }), { role: 'partner' });
    expect(finding.status).toBe('fail');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
    expect(finding.remediation).not.toContain('Configuration > Protocols');
  });

  describe('without federation peers', () => {
    it('skips with the SRV reason when there is no SRV record', () => {
      const findings = runCheck(check, targetObservations({ dns: [nxdomain(srvName('ciscoexample.com'), 'SRV')] }));
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ status: 'skip', subject: srvName('ciscoexample.com') });
      expect(findings[0]!.message).toContain('NXDOMAIN');
    });

    it('skips when the SRV target is "."', () => {
      const finding = singleFinding(check, federationTarget({ srv: [srv(0, 0, 0, '.')] }));
      expect(finding.status).toBe('skip');
      expect(finding.message).toContain('target "."');
    });

    it('skips when the SRV target has no address', () => {
      const finding = singleFinding(check, federationTarget({ ipv4: [] }));
      expect(finding.status).toBe('skip');
      expect(finding.subject).toBe(HOST);
      expect(finding.message).toContain(`the SRV target ${HOST} has no address`);
    });

    it('skips naming the deadline when the run ran out of time before probing', () => {
      const finding = singleFinding(check, { ...federationTarget(), deadlineExceeded: true });
      expect(finding.status).toBe('skip');
      expect(finding.message).toContain('--timeout expired');
      expect(finding.message).toContain('192.0.2.10');
    });

    it('skips when no probe was recorded, and ignores IM and Presence probes', () => {
      const target = { ...federationTarget(), tls: [tlsProbe({ purpose: 'imp', port: 5062 })] };
      const finding = singleFinding(check, target);
      expect(finding.status).toBe('skip');
      expect(finding.message).toContain('no TLS probe');
    });
  });
});
