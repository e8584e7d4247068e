import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/srv-port.js';
import { federationTarget, nxdomain, singleFinding, srv, srvName, targetObservations } from './observations.js';

const SRV = srvName('ciscoexample.com');

describe('srv-port', () => {
  it('passes on 5061', () => {
    const finding = singleFinding(check, federationTarget());
    expect(finding.status).toBe('pass');
    expect(finding.subject).toBe(SRV);
    expect(finding.message).toContain('uses port 5061');
  });

  it('warns on another port, with the corrected record', () => {
    const finding = singleFinding(check, federationTarget({ srv: [srv(10, 10, 5062, 'sip.ciscoexample.com', 600)] }));
    expect(finding.status).toBe('warn');
    expect(finding.subject).toBe(SRV);
    expect(finding.message).toContain('port 5062, not 5061');
    expect(finding.message).toContain('Microsoft edges');
    expect(finding.remediation).toContain(
      `Change "${SRV}. 600 IN SRV 10 10 5062 sip.ciscoexample.com." to "${SRV}. 600 IN SRV 10 10 5061 sip.ciscoexample.com."`,
    );
    expect(finding.data).toMatchObject({ port: 5062 });
  });

  it('fails port 0 on a real target: not a usable port, with the record to publish instead', () => {
    const finding = singleFinding(check, federationTarget({ srv: [srv(10, 10, 0, 'sip.ciscoexample.com', 600)] }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`"${SRV}. 600 IN SRV 10 10 0 sip.ciscoexample.com.", gives port 0, which is not a usable port`);
    expect(finding.message).toContain('Microsoft edges cannot connect to your Expressway-E and federation fails');
    expect(finding.message).toContain(`RFC 2782 gives port 0 a meaning only with the target "." ("${SRV}. 600 IN SRV 10 10 0 .": the service is decidedly not available)`);
    expect(finding.remediation).toContain(
      `Change "${SRV}. 600 IN SRV 10 10 0 sip.ciscoexample.com." to "${SRV}. 600 IN SRV 10 10 5061 sip.ciscoexample.com."`,
    );
    expect(finding.data).toMatchObject({ port: 0 });
  });

  it('asks a partner to fix their port 0', () => {
    const finding = singleFinding(check, federationTarget({ role: 'partner', srv: [srv(10, 10, 0, 'sip.msexample.com')] }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain("your Expressway-E cannot connect to msexample.com's federation edge");
    expect(finding.remediation).toContain('Ask the administrators of msexample.com');
    expect(finding.remediation).toContain('IN SRV 10 10 5061 sip.msexample.com.');
  });

  it('judges the port of the record Microsoft selects', () => {
    const target = federationTarget({ srv: [srv(20, 10, 5061, 'b.ciscoexample.com'), srv(10, 10, 443, 'a.ciscoexample.com')] });
    const finding = singleFinding(check, target);
    expect(finding.status).toBe('warn');
    expect(finding.message).toContain('port 443');
  });

  it('tells a local user of a partner port that their firewall must allow it', () => {
    const finding = singleFinding(check, federationTarget({ role: 'partner', srv: [srv(10, 10, 5063, 'sip.msexample.com')] }));
    expect(finding.status).toBe('warn');
    expect(finding.message).toContain('Your Expressway-E will connect to msexample.com on TCP 5063');
    expect(finding.remediation).toContain('Ask the administrators of msexample.com');
  });

  it('skips on a "." target and when srv-present did not pass', () => {
    const unavailable = singleFinding(check, federationTarget({ srv: [srv(0, 0, 0, '.')] }));
    expect(unavailable.status).toBe('skip');
    expect(unavailable.subject).toBe(SRV);
    expect(unavailable.message).toContain('target "."');
    const missing = singleFinding(check, targetObservations({ dns: [nxdomain(SRV, 'SRV')] }));
    expect(missing.status).toBe('skip');
  });
});
