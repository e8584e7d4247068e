// Tied SRV records: Microsoft takes the lowest priority, then the highest weight, and on a tie the
// first record returned, which rotates between lookups. Every check judges every tied target, and
// the findings are the same whatever order the resolver returned the records (and addresses) in.
import { describe, expect, it } from 'vitest';
import { judgeTarget } from '../../../src/checks/index.js';
import { check as srvAvailable } from '../../../src/checks/srv-available.js';
import { check as srvPort } from '../../../src/checks/srv-port.js';
import { check as srvTargetAddress } from '../../../src/checks/srv-target-address.js';
import { check as srvTargetAlias } from '../../../src/checks/srv-target-alias.js';
import { check as srvTargetNamespace } from '../../../src/checks/srv-target-namespace.js';
import { check as srvTargetPeers } from '../../../src/checks/srv-target-peers.js';
import { check as tlsConnect } from '../../../src/checks/tls-connect.js';
import type { TargetObservations } from '../../../src/model/observations.js';
import {
  NOW,
  addressQuery,
  codesOf,
  federationTarget,
  leafCertificate,
  nodata,
  nxdomain,
  runCheck,
  srv,
  srvName,
  srvQuery,
  targetObservations,
  tlsProbe,
  type SrvSpec,
} from '../../helpers/builders/index.js';

const SRV = srvName('ciscoexample.com');
const SIP1 = 'sip1.ciscoexample.com';
const SIP2 = 'sip2.ciscoexample.com';

/** Two tied records, a backup Microsoft never uses, the addresses and the peers: as gather records them, in `order`. */
function tiedTarget(order: number[], addressOrder: 'up' | 'down' = 'up'): TargetObservations {
  const records: SrvSpec[] = [srv(10, 10, 5061, SIP1), srv(10, 10, 5061, SIP2), srv(20, 10, 5061, 'backup.ciscoexample.com')];
  const addresses = (first: number) => (addressOrder === 'up' ? [`192.0.2.${first}`, `192.0.2.${first + 1}`] : [`192.0.2.${first + 1}`, `192.0.2.${first}`]);
  const expired = leafCertificate({ subject: `CN=${SIP2}`, sanDnsNames: [SIP2], notAfter: '2025-05-01T00:00:00.000Z' });
  const probes = [
    ...addresses(10).map((address) => tlsProbe({ host: SIP1, address, chain: [leafCertificate({ sanDnsNames: [SIP1] })] })),
    ...addresses(20).map((address) => tlsProbe({ host: SIP2, address, chain: [expired] })),
  ];
  return targetObservations({
    dns: [
      srvQuery(SRV, order.map((index) => records[index]!)),
      addressQuery(SIP1, 'A', addresses(10)),
      nodata(SIP1, 'AAAA'),
      addressQuery(SIP2, 'A', addresses(20)),
      nodata(SIP2, 'AAAA'),
    ],
    tls: addressOrder === 'up' ? probes : [...probes].reverse(),
  });
}

const judge = (target: TargetObservations) => judgeTarget(target, { now: NOW, warnDays: 30, critDays: 14, checkOverrides: {} });

describe('tied SRV records', () => {
  it('give the same findings, in the same order, whatever order the resolver returned records and addresses in', () => {
    const reference = judge(tiedTarget([0, 1, 2]));
    for (const [order, addresses] of [
      [[1, 0, 2], 'up'],
      [[2, 1, 0], 'down'],
      [[0, 2, 1], 'down'],
    ] as const) {
      expect(judge(tiedTarget([...order], addresses))).toEqual(reference);
    }
    // Both tied targets are judged: the expired certificate behind the second one fails the run.
    const failing = reference.filter((finding) => finding.status === 'fail').map((finding) => `${finding.code} ${finding.subject}`);
    expect(failing).toEqual(['cert-validity.expired 192.0.2.20:5061', 'cert-validity.expired 192.0.2.21:5061']);
  });

  it('judge each tied target in the target checks', () => {
    const target = tiedTarget([1, 0, 2]);
    for (const check of [srvTargetNamespace, srvTargetAlias, srvTargetAddress, srvTargetPeers]) {
      expect(runCheck(check, target).map((finding) => finding.subject), check.meta.id).toEqual([SIP1, SIP2]);
    }
    expect(codesOf(runCheck(srvTargetNamespace, target))).toEqual(['srv-target-namespace.pass', 'srv-target-namespace.pass']);
  });

  it('fail srv-available when the resolver may return a "." record first', () => {
    const target = federationTarget({ srv: [srv(10, 10, 5061, SIP1), srv(10, 10, 0, '.')] });
    expect(codesOf(runCheck(srvAvailable, target))).toEqual(['srv-available.unavailable']);
    expect(codesOf(runCheck(srvAvailable, federationTarget({ srv: [srv(10, 10, 5061, SIP1), srv(10, 10, 5061, SIP2)] })))).toEqual(['srv-available.pass']);
    // The "." record is no host: the target checks judge the real one only.
    expect(runCheck(srvTargetNamespace, target).map((finding) => finding.subject)).toEqual([SIP1]);
  });

  it('judge the port of every tied record', () => {
    const finding = runCheck(srvPort, federationTarget({ srv: [srv(10, 10, 5061, SIP1), srv(10, 10, 5062, SIP2)] }))[0]!;
    expect(finding).toMatchObject({ code: 'srv-port.other-port', data: { records: [expect.stringContaining(SIP1), expect.stringContaining(SIP2)] } });
    expect(finding.remediation).toContain(`"${SRV}. 3600 IN SRV 10 10 5061 ${SIP2}."`);
    const zero = runCheck(srvPort, federationTarget({ srv: [srv(10, 10, 0, SIP1), srv(10, 10, 5062, SIP2)] }))[0]!;
    expect(zero.code).toBe('srv-port.port-zero');
  });

  it('skip the peer checks with the addresses of every tied target when none resolves', () => {
    const target = targetObservations({
      dns: [
        srvQuery(SRV, [srv(10, 10, 5061, SIP1), srv(10, 10, 5061, SIP2)]),
        nxdomain(SIP1, 'A'),
        nxdomain(SIP1, 'AAAA'),
        nxdomain(SIP2, 'A'),
        nxdomain(SIP2, 'AAAA'),
      ],
    });
    const [skip] = runCheck(tlsConnect, target);
    expect(skip).toMatchObject({ code: 'tls-connect.no-peers', subject: SRV });
    expect(skip!.message).toContain(SIP1);
    expect(skip!.message).toContain(SIP2);
  });
});
