import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/srv-available.js';
import { federationTarget, nxdomain, servfail, singleFinding, srv, srvName, targetObservations } from './observations.js';

const SRV = srvName('ciscoexample.com');

describe('srv-available', () => {
  it('passes when the selected record names a host', () => {
    const finding = singleFinding(check, federationTarget());
    expect(finding.status).toBe('pass');
    expect(finding.subject).toBe(SRV);
    expect(finding.message).toContain('points at sip.ciscoexample.com port 5061');
  });

  it('fails on a "." target, with the replacement record', () => {
    const finding = singleFinding(check, federationTarget({ srv: [srv(0, 0, 0, '.', 300)] }));
    expect(finding.status).toBe('fail');
    expect(finding.subject).toBe(SRV);
    expect(finding.message).toContain('"_sipfederationtls._tcp.ciscoexample.com. 300 IN SRV 0 0 0 ."');
    expect(finding.message).toContain('RFC 2782');
    expect(finding.message).toContain('decidedly not available');
    expect(finding.remediation).toBe(
      'Replace "_sipfederationtls._tcp.ciscoexample.com. 300 IN SRV 0 0 0 ." with ' +
        '"_sipfederationtls._tcp.ciscoexample.com. 300 IN SRV 10 10 5061 sip.ciscoexample.com." ' +
        'pointing at your Expressway-E cluster FQDN (sip.ciscoexample.com here).',
    );
  });

  it('judges the record Microsoft selects, not the first one listed', () => {
    const target = federationTarget({ srv: [srv(20, 0, 5061, 'sip.ciscoexample.com'), srv(10, 0, 0, '.')] });
    expect(singleFinding(check, target).status).toBe('fail');
    const healthy = federationTarget({ srv: [srv(20, 0, 0, '.'), srv(10, 0, 5061, 'sip.ciscoexample.com')] });
    expect(singleFinding(check, healthy).status).toBe('pass');
  });

  it('asks a partner to fix a "." target', () => {
    const finding = singleFinding(check, federationTarget({ role: 'partner', srv: [srv(0, 0, 0, '.')] }));
    expect(finding.status).toBe('fail');
    expect(finding.subject).toBe(srvName('msexample.com'));
    expect(finding.message).toContain('your Expressway-E will not route messages to it');
    expect(finding.remediation).toContain('Ask the administrators of msexample.com');
  });

  it.each([
    ['NXDOMAIN', nxdomain(SRV, 'SRV'), 'does not exist (NXDOMAIN)'],
    ['SERVFAIL', servfail(SRV, 'SRV'), 'SERVFAIL'],
  ])('skips when srv-present did not pass (%s)', (_, query, phrase) => {
    const finding = singleFinding(check, targetObservations({ dns: [query] }));
    expect(finding.status).toBe('skip');
    expect(finding.subject).toBe(SRV);
    expect(finding.message).toContain(phrase);
    expect(finding.message).toContain('see srv-present');
  });
});
