import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/srv-port.js';
import { federationTarget, nxdomain, singleFinding, srv, srvName, targetObservations } from '../helpers/builders/index.js';

const SRV = srvName('ciscoexample.com');

describe('srv-port', () => {
  it('passes on 5061', () => {
    expect(singleFinding(check, federationTarget())).toMatchObject({ code: 'srv-port.pass', status: 'pass', subject: SRV });
  });

  it('warns on another port, with the corrected record', () => {
    const finding = singleFinding(check, federationTarget({ srv: [srv(10, 10, 5062, 'sip.ciscoexample.com', 600)] }));
    expect(finding).toMatchObject({ code: 'srv-port.other-port', status: 'warn', subject: SRV });
    expect(finding.remediation).toContain(
      `Change "${SRV}. 600 IN SRV 10 10 5062 sip.ciscoexample.com." to "${SRV}. 600 IN SRV 10 10 5061 sip.ciscoexample.com."`,
    );
    expect(finding.data).toMatchObject({ port: 5062 });
  });

  it('fails port 0 on a real target: not a usable port, with the record to publish instead', () => {
    const finding = singleFinding(check, federationTarget({ srv: [srv(10, 10, 0, 'sip.ciscoexample.com', 600)] }));
    expect(finding).toMatchObject({ code: 'srv-port.port-zero', status: 'fail' });
    expect(finding.remediation).toContain(
      `Change "${SRV}. 600 IN SRV 10 10 0 sip.ciscoexample.com." to "${SRV}. 600 IN SRV 10 10 5061 sip.ciscoexample.com."`,
    );
    expect(finding.data).toMatchObject({ port: 0 });
  });

  it('asks a partner to fix their port 0', () => {
    const finding = singleFinding(check, federationTarget({ role: 'partner', srv: [srv(10, 10, 0, 'sip.msexample.com')] }));
    expect(finding.code).toBe('srv-port.port-zero');
    expect(finding.remediation).toMatch(/^Ask the administrators of msexample\.com/);
    expect(finding.remediation).toContain('IN SRV 10 10 5061 sip.msexample.com.');
  });

  it('judges the port of the record Microsoft selects', () => {
    const target = federationTarget({ srv: [srv(20, 10, 5061, 'b.ciscoexample.com'), srv(10, 10, 443, 'a.ciscoexample.com')] });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-port.other-port');
    expect(finding.data).toMatchObject({ port: 443 });
  });

  it('asks a partner to move to 5061', () => {
    const finding = singleFinding(check, federationTarget({ role: 'partner', srv: [srv(10, 10, 5063, 'sip.msexample.com')] }));
    expect(finding.code).toBe('srv-port.other-port');
    expect(finding.remediation).toMatch(/^Ask the administrators of msexample\.com/);
  });

  it('skips on a "." target and when srv-present did not pass', () => {
    const unavailable = singleFinding(check, federationTarget({ srv: [srv(0, 0, 0, '.')] }));
    expect(unavailable).toMatchObject({ code: 'srv-port.srv-unavailable', status: 'skip', subject: SRV });
    const missing = singleFinding(check, targetObservations({ dns: [nxdomain(SRV, 'SRV')] }));
    expect(missing).toMatchObject({ code: 'srv-port.no-srv', status: 'skip' });
  });
});
