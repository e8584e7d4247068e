import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/srv-target-peers.js';
import { federationTarget, nxdomain, singleFinding, srv, srvName, srvQuery, targetObservations } from '../helpers/builders/index.js';

const SRV = srvName('ciscoexample.com');
const HOST = 'sip.ciscoexample.com';
const ipv4 = (count: number) => Array.from({ length: count }, (_, i) => `192.0.2.${10 + i}`);
const ipv6 = (count: number) => Array.from({ length: count }, (_, i) => `2001:db8::${10 + i}`);

describe('srv-target-peers', () => {
  it('passes with one peer and says it will be probed', () => {
    const finding = singleFinding(check, federationTarget());
    expect(finding.code).toBe('srv-target-peers.pass');
    expect(finding.subject).toBe(HOST);
    expect(finding.data).toMatchObject({ count: 1 });
  });

  it('passes with 6 peers, the cluster maximum', () => {
    const finding = singleFinding(check, federationTarget({ ipv4: ipv4(6) }));
    expect(finding.code).toBe('srv-target-peers.pass');
  });

  it('counts distinct addresses only', () => {
    const finding = singleFinding(check, federationTarget({ ipv4: [...ipv4(6), '192.0.2.10'] }));
    expect(finding.code).toBe('srv-target-peers.pass');
    expect(finding.data).toMatchObject({ count: 6 });
  });

  it('passes dual-stack peers: up to 6 per family', () => {
    const finding = singleFinding(check, federationTarget({ ipv4: ipv4(4), ipv6: ipv6(4) }));
    expect(finding.code).toBe('srv-target-peers.pass');
  });

  it('warns with 7 addresses, listing the records to prune', () => {
    const finding = singleFinding(check, federationTarget({ ipv4: ipv4(7), ipv6: ipv6(1) }));
    expect(finding.code).toBe('srv-target-peers.too-many');
    expect(finding.subject).toBe(HOST);
    expect(finding.remediation).toContain('Delete the records of sip.ciscoexample.com that are not Expressway-E cluster peers');
    expect(finding.remediation).toContain('"sip.ciscoexample.com. 3600 IN A 192.0.2.16"');
    expect(finding.remediation).not.toContain('AAAA');
    expect(finding.data).toMatchObject({ count: 8 });
  });

  it('warns about 7 IPv6 addresses and puts the records on the canonical name', () => {
    const finding = singleFinding(check, federationTarget({ ipv4: [], ipv6: ipv6(7), targetCnames: ['expe.ciscoexample.com'] }));
    expect(finding.code).toBe('srv-target-peers.too-many');
    expect(finding.remediation).toContain('Delete the records of expe.ciscoexample.com');
    expect(finding.remediation).toContain('"expe.ciscoexample.com. 3600 IN AAAA 2001:db8::16"');
  });

  it('is information for a partner edge with more addresses: it is not an Expressway-E cluster', () => {
    const finding = singleFinding(check, federationTarget({ role: 'partner', ipv4: ipv4(8) }));
    expect(finding.code).toBe('srv-target-peers.partner-many');
    expect(finding.subject).toBe('sip.msexample.com');
  });

  it('skips when the target has no addresses', () => {
    const target = targetObservations({ dns: [srvQuery(SRV, [srv(10, 10, 5061, HOST)]), nxdomain(HOST, 'A'), nxdomain(HOST, 'AAAA')] });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-target-peers.no-address');
    expect(finding.subject).toBe(HOST);
  });

  it('skips on a "." target and when srv-present did not pass', () => {
    expect(singleFinding(check, federationTarget({ srv: [srv(0, 0, 0, '.')] })).code).toBe('srv-target-peers.srv-unavailable');
    expect(singleFinding(check, targetObservations({ dns: [nxdomain(SRV, 'SRV')] })).code).toBe('srv-target-peers.no-srv');
  });
});
