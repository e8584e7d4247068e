// An SRV name that is an alias of another domain's SRV name, answered (as BIND answers for an
// alias into another of its zones) with the CNAME alone: followed as Microsoft's recursive
// resolvers follow it, judged for the SIP domain asked about, and never fixed by editing the
// other domain's records.
import { describe, expect, it } from 'vitest';
import { judgeTarget } from '../../../src/checks/index.js';
import { check as srvPort } from '../../../src/checks/srv-port.js';
import { check as srvPresent } from '../../../src/checks/srv-present.js';
import { check as srvSingle } from '../../../src/checks/srv-single.js';
import { check as srvTargetNamespace } from '../../../src/checks/srv-target-namespace.js';
import type { DnsQueryObservation } from '../../../src/model/observations.js';
import {
  NOW,
  addressQuery,
  cnameRecord,
  dnsQuery,
  nodata,
  nxdomain,
  refused,
  singleFinding,
  srv,
  srvName,
  srvQuery,
  targetObservations,
  type SrvSpec,
} from '../../helpers/builders/index.js';

const SRV = srvName('ciscoexample.com');
const OTHER = srvName('hosting.example.net');
const aliasOnly = dnsQuery(SRV, 'SRV', 'NOERROR', [cnameRecord(SRV, OTHER)], { flags: { authoritative: true, recursionAvailable: false } });

function aliasedTarget(records: SrvSpec[], more: DnsQueryObservation[] = []) {
  return targetObservations({
    dns: [aliasOnly, srvQuery(OTHER, records), ...more],
  });
}

/** A quoted zone line owned by the other domain: a record the fix would have the user edit. */
const OTHER_RECORD = `"${OTHER}. `;

describe('an SRV name that is an alias answered with the CNAME alone', () => {
  it('is followed: srv-present passes with the alias target\'s records', () => {
    const finding = singleFinding(srvPresent, aliasedTarget([srv(10, 10, 5061, 'sip.hosting.example.net')]));
    expect(finding).toMatchObject({ code: 'srv-present.pass', data: { ownerAliases: [{ name: SRV, target: OTHER }], records: [{ owner: OTHER }] } });
  });

  it('is judged by the namespace of the SIP domain asked about, and fixed with the domain\'s own SRV record', () => {
    const target = aliasedTarget([srv(10, 10, 5061, 'sip.hosting.example.net')], [addressQuery('sip.hosting.example.net', 'A', ['192.0.2.10']), nodata('sip.hosting.example.net', 'AAAA')]);
    const finding = singleFinding(srvTargetNamespace, target);
    expect(finding.code).toBe('srv-target-namespace.outside');
    expect(finding.remediation).toContain(`"${SRV}. 3600 IN CNAME ${OTHER}."`);
    expect(finding.remediation).toContain(`"${SRV}. 3600 IN SRV 10 10 5061 sip.ciscoexample.com."`);
    expect(finding.remediation).toContain('"sip.ciscoexample.com. 3600 IN A 192.0.2.10"');
    // No finding of the whole run asks for the other domain's records to change.
    const findings = judgeTarget(target, { now: NOW, warnDays: 30, critDays: 14, checkOverrides: {} });
    for (const each of findings) expect(each.remediation ?? '', each.code).not.toContain(OTHER_RECORD);
  });

  it('has the port and the record count fixed the same way', () => {
    const port = singleFinding(srvPort, aliasedTarget([srv(10, 10, 5062, 'sip.ciscoexample.com')]));
    expect(port.code).toBe('srv-port.other-port');
    expect(port.remediation).toContain(`"${SRV}. 3600 IN SRV 10 10 5061 sip.ciscoexample.com."`);
    expect(port.remediation).not.toContain(OTHER_RECORD);
    const single = singleFinding(srvSingle, aliasedTarget([srv(10, 10, 5061, 'sip.ciscoexample.com'), srv(20, 10, 5061, 'b.ciscoexample.com')]));
    expect(single.code).toBe('srv-single.several');
    expect(single.remediation).toContain(`"${SRV}. 3600 IN SRV 10 10 5061 sip.ciscoexample.com."`);
    expect(single.remediation).not.toContain(OTHER_RECORD);
  });

  it('fails as missing, fixed by replacing the alias, when its target has no SRV record', () => {
    const finding = singleFinding(srvPresent, targetObservations({ dns: [aliasOnly, nxdomain(OTHER, 'SRV')] }));
    expect(finding.code).toBe('srv-present.missing');
    expect(finding.remediation).toContain(`"${SRV}. 3600 IN CNAME ${OTHER}."`);
  });

  it('is an error when the resolver refuses the alias target (it serves only the first zone)', () => {
    expect(singleFinding(srvPresent, targetObservations({ dns: [aliasOnly, refused(OTHER, 'SRV')] })).code).toBe('srv-present.lookup-failed');
  });

  it('keeps editing the records themselves when the alias stays inside the domain', () => {
    const inside = srvName('edge.ciscoexample.com');
    const target = targetObservations({ dns: [dnsQuery(SRV, 'SRV', 'NOERROR', [cnameRecord(SRV, inside)]), srvQuery(inside, [srv(10, 10, 5062, 'sip.ciscoexample.com')])] });
    const finding = singleFinding(srvPort, target);
    expect(finding.code).toBe('srv-port.other-port');
    expect(finding.remediation).toContain(`"${inside}. 3600 IN SRV 10 10 5061 sip.ciscoexample.com."`);
  });
});
