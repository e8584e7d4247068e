import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/srv-available.js';
import { federationTarget, nxdomain, servfail, singleFinding, srv, srvName, targetObservations } from '../helpers/builders/index.js';

const SRV = srvName('ciscoexample.com');

describe('srv-available', () => {
  it('passes when the selected record names a host', () => {
    expect(singleFinding(check, federationTarget())).toMatchObject({ code: 'srv-available.pass', status: 'pass', subject: SRV });
  });

  it('fails on a "." target, with the replacement record', () => {
    const finding = singleFinding(check, federationTarget({ srv: [srv(0, 0, 0, '.', 300)] }));
    expect(finding).toMatchObject({ code: 'srv-available.unavailable', status: 'fail', subject: SRV });
    expect(finding.remediation).toBe(
      'Replace "_sipfederationtls._tcp.ciscoexample.com. 300 IN SRV 0 0 0 ." with ' +
        '"_sipfederationtls._tcp.ciscoexample.com. 300 IN SRV 10 10 5061 sip.ciscoexample.com." ' +
        'pointing at your Expressway-E cluster FQDN (sip.ciscoexample.com here).',
    );
  });

  it('judges the record Microsoft selects, not the first one listed', () => {
    const target = federationTarget({ srv: [srv(20, 0, 5061, 'sip.ciscoexample.com'), srv(10, 0, 0, '.')] });
    expect(singleFinding(check, target).code).toBe('srv-available.unavailable');
    const healthy = federationTarget({ srv: [srv(20, 0, 0, '.'), srv(10, 0, 5061, 'sip.ciscoexample.com')] });
    expect(singleFinding(check, healthy).code).toBe('srv-available.pass');
  });

  it('asks a partner to fix a "." target', () => {
    const finding = singleFinding(check, federationTarget({ role: 'partner', srv: [srv(0, 0, 0, '.')] }));
    expect(finding).toMatchObject({ code: 'srv-available.unavailable', subject: srvName('msexample.com') });
    expect(finding.remediation).toMatch(/^Ask the administrators of msexample\.com/);
  });

  it.each([
    ['NXDOMAIN', nxdomain(SRV, 'SRV')],
    ['SERVFAIL', servfail(SRV, 'SRV')],
  ])('skips when srv-present did not pass (%s)', (_, query) => {
    expect(singleFinding(check, targetObservations({ dns: [query] }))).toMatchObject({ code: 'srv-available.no-srv', status: 'skip', subject: SRV });
  });
});
