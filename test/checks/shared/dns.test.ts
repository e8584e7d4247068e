import { describe, expect, it } from 'vitest';
// The DNS readings and the wording the checks share (src/checks/shared): the zone-file lines and
// phrases are what remediations are made of, so here the wording is the feature under test.
import { aliasLoop, describeLookup, hostAddresses } from '../../../src/checks/shared/addresses.js';
import { RAISE_TIMEOUT_ADVICE, cutByDeadline, deadlineAdvice } from '../../../src/checks/shared/deadline.js';
import { hostInDomain, namespacePosition } from '../../../src/checks/shared/namespace.js';
import { federationSrv, federationSrvTarget } from '../../../src/checks/shared/srv.js';
import { aliasChainText, askPartner, listOf, plural, quotedList } from '../../../src/checks/shared/wording.js';
import { absoluteName, addressZoneLine, srvZoneLine, zoneLine } from '../../../src/checks/shared/zone-file.js';
import type { DnsRecord } from '../../../src/model/observations.js';
import {
  addressQuery,
  cnameRecord,
  federationTarget,
  noResponse,
  nodata,
  nxdomain,
  srv,
  srvName,
  srvQuery,
  targetObservations,
  timeout,
} from '../../helpers/builders/index.js';
import { formatEndpoint } from '../../../src/model/ip.js';

const SRV = srvName('ciscoexample.com');

describe('federationSrv / federationSrvTarget', () => {
  it('gives the selected record with its owner and TTL', () => {
    const prerequisite = federationSrv(federationTarget({ srv: [srv(20, 0, 5061, 'b.ciscoexample.com'), srv(10, 0, 5062, 'A.CiscoExample.com', 60)] }));
    expect(prerequisite.met).toBe(true);
    if (!prerequisite.met) return;
    expect(prerequisite.value.srvName).toBe(SRV);
    expect(prerequisite.value.selection.index).toBe(1);
    expect(prerequisite.value.selectedRecord).toMatchObject({ name: SRV, ttl: 60 });
    expect(prerequisite.value.host).toBe('a.ciscoexample.com');
    expect(prerequisite.value.port).toBe(5062);
    expect(prerequisite.value.ownerAliases).toEqual([]);
  });

  it('explains why it is unmet', () => {
    const missing = federationSrv(targetObservations({ dns: [nxdomain(SRV, 'SRV')] }));
    expect(missing).toEqual({
      met: false,
      variant: 'no-srv',
      subject: SRV,
      reason: `Not checked: ${SRV} does not exist (NXDOMAIN) at 192.0.2.53:53, so there is no SRV record to judge (see srv-present).`,
    });
    const unasked = federationSrv(targetObservations({ deadlineExceeded: true }));
    expect(unasked).toMatchObject({ met: false, reason: `Not checked: ${SRV} was never queried (the run's --timeout expired first).` });
  });

  it('requires a real target for target checks', () => {
    const dot = federationTarget({ srv: [srv(0, 0, 0, '.')] });
    expect(federationSrv(dot).met).toBe(true);
    const target = federationSrvTarget(dot);
    expect(target.met).toBe(false);
    if (target.met) return;
    expect(target.variant).toBe('srv-unavailable');
    expect(target.subject).toBe(SRV);
    expect(target.reason).toContain('has target "."');
    expect(federationSrvTarget(federationTarget()).met).toBe(true);
  });
});

describe('hostAddresses', () => {
  it('collects both families, distinct, with their records', () => {
    const target = targetObservations({
      dns: [
        addressQuery('sip.ciscoexample.com', 'A', ['192.0.2.10', '192.0.2.10', '192.0.2.11']),
        addressQuery('sip.ciscoexample.com', 'AAAA', ['2001:DB8::10']),
      ],
    });
    const resolved = hostAddresses(target, 'SIP.ciscoexample.com.');
    expect(resolved.host).toBe('sip.ciscoexample.com');
    expect(resolved.addresses).toEqual(['192.0.2.10', '192.0.2.11', '2001:db8::10']);
    expect(resolved.records).toHaveLength(4);
    expect(resolved.canonicalHost).toBe('sip.ciscoexample.com');
  });

  it('reports the alias chain from whichever family followed it', () => {
    const target = targetObservations({
      dns: [nodata('sip.ciscoexample.com', 'A'), addressQuery('sip.ciscoexample.com', 'AAAA', ['2001:db8::10'], { cnames: ['expe.ciscoexample.com'] })],
    });
    const resolved = hostAddresses(target, 'sip.ciscoexample.com');
    expect(resolved.aliases.map((link) => link.data)).toEqual(['expe.ciscoexample.com']);
    expect(resolved.canonicalHost).toBe('expe.ciscoexample.com');
    expect(resolved.ipv4Addresses).toEqual([]);
    expect(resolved.ipv6Addresses).toEqual(['2001:db8::10']);
  });
});

describe('alias loops', () => {
  const HOST = 'sip.ciscoexample.com';

  it('finds the link that leads back to a name already on the chain', () => {
    const chain = [cnameRecord(HOST, 'x.example.net'), cnameRecord('x.example.net', 'SIP.ciscoexample.com.')];
    expect(aliasLoop(HOST, chain)).toEqual(chain);
    const deeper = [cnameRecord(HOST, 'a.example.net'), cnameRecord('a.example.net', 'b.example.net'), cnameRecord('b.example.net', 'a.example.net')];
    expect(aliasLoop(HOST, [...deeper, cnameRecord('a.example.net', 'b.example.net')])).toEqual(deeper);
    expect(aliasLoop(HOST, [cnameRecord(HOST, 'a.example.net'), cnameRecord('a.example.net', 'b.example.net')])).toBeUndefined();
    expect(aliasLoop(HOST, [])).toBeUndefined();
  });

  it('marks a looping host, keeps the host as the owner to fix, and describes the lookups by the loop', () => {
    const loop = { cnames: ['x.ciscoexample.com', HOST] };
    const resolved = hostAddresses(targetObservations({ dns: [nodata(HOST, 'A', loop), nodata(HOST, 'AAAA', loop)] }), HOST);
    expect(resolved.aliasLoop?.map((link) => link.data)).toEqual(['x.ciscoexample.com', HOST]);
    expect(resolved.canonicalHost).toBe(HOST);
    expect(describeLookup(resolved.ipv4, 'A')).toBe(`A: ${HOST} cannot be resolved: its alias chain loops (${HOST} → x.ciscoexample.com → ${HOST})`);
  });

  it('leaves a chain that ends without records alone', () => {
    const resolved = hostAddresses(targetObservations({ dns: [nodata(HOST, 'A', { cnames: ['x.ciscoexample.com'] })] }), HOST);
    expect(resolved.aliasLoop).toBeUndefined();
    expect(describeLookup(resolved.ipv4, 'A')).toBe('A: sip.ciscoexample.com exists but has no A record (NOERROR, no data) at 192.0.2.53:53');
  });
});

describe('the run deadline in DNS messages', () => {
  it('advises a longer --timeout only for a question the deadline left unasked', () => {
    const aborted = noResponse('sip.ciscoexample.com', 'A', 'aborted');
    const timedOut = timeout('sip.ciscoexample.com', 'AAAA');
    expect(cutByDeadline(aborted)).toBe(true);
    expect(cutByDeadline(timedOut)).toBe(false);
    expect(cutByDeadline(undefined)).toBe(false);
    expect(deadlineAdvice(timedOut, aborted)).toBe(` ${RAISE_TIMEOUT_ADVICE}`);
    expect(deadlineAdvice(timedOut)).toBe('');
    const resolved = hostAddresses(targetObservations({ dns: [aborted] }), 'sip.ciscoexample.com');
    expect(cutByDeadline(resolved.ipv4)).toBe(true);
    expect(cutByDeadline(resolved.ipv6)).toBe(false);
  });
});

describe('namespacePosition and hostInDomain', () => {
  it.each([
    ['sip.ciscoexample.com', 'ciscoexample.com', 'child'],
    ['SIP.CiscoExample.com.', 'ciscoexample.com', 'child'],
    ['ciscoexample.com', 'ciscoexample.com', 'apex'],
    ['a.b.ciscoexample.com', 'ciscoexample.com', 'deeper'],
    ['sip.ciscoexample.com', 'exp.ciscoexample.com', 'outside'],
    ['sip.notciscoexample.com', 'ciscoexample.com', 'outside'],
    ['sipfed.online.lync.com', 'ciscoexample.com', 'outside'],
  ] as const)('%s in %s is %s', (host, domain, position) => {
    expect(namespacePosition(host, domain)).toBe(position);
  });

  it('moves the first label under the domain', () => {
    expect(hostInDomain('sip.ciscoexample.com', 'exp.ciscoexample.com')).toBe('sip.exp.ciscoexample.com');
    expect(hostInDomain('expe.edge.ciscoexample.com', 'ciscoexample.com')).toBe('expe.ciscoexample.com');
  });
});

describe('zone-file rendering', () => {
  it('renders every record type', () => {
    const records: [DnsRecord, string][] = [
      [{ name: SRV, type: 'SRV', ttl: 300, data: { priority: 10, weight: 5, port: 5061, target: 'sip.ciscoexample.com' } }, `${SRV}. 300 IN SRV 10 5 5061 sip.ciscoexample.com.`],
      [{ name: SRV, type: 'SRV', ttl: 300, data: { priority: 0, weight: 0, port: 0, target: '.' } }, `${SRV}. 300 IN SRV 0 0 0 .`],
      [{ name: 'sip.ciscoexample.com', type: 'A', ttl: 60, data: '192.0.2.10' }, 'sip.ciscoexample.com. 60 IN A 192.0.2.10'],
      [{ name: 'sip.ciscoexample.com', type: 'AAAA', ttl: 60, data: '2001:db8::10' }, 'sip.ciscoexample.com. 60 IN AAAA 2001:db8::10'],
      [cnameRecord('sip.ciscoexample.com', 'expe.ciscoexample.com'), 'sip.ciscoexample.com. 3600 IN CNAME expe.ciscoexample.com.'],
      [{ name: '10.2.0.192.in-addr.arpa', type: 'PTR', ttl: 60, data: 'imp1.ciscoexample.com' }, '10.2.0.192.in-addr.arpa. 60 IN PTR imp1.ciscoexample.com.'],
      [{ name: 'ciscoexample.com', type: 'NS', ttl: 60, data: 'ns1.ciscoexample.com' }, 'ciscoexample.com. 60 IN NS ns1.ciscoexample.com.'],
      [{ name: 'ciscoexample.com', type: 'TXT', ttl: 60, data: ['v=spf1 -all', 'say "hi"'] }, 'ciscoexample.com. 60 IN TXT "v=spf1 -all" "say \\"hi\\""'],
      [
        { name: 'ciscoexample.com', type: 'SOA', ttl: 60, data: { mname: 'ns1.ciscoexample.com', rname: 'hostmaster.ciscoexample.com', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 } },
        'ciscoexample.com. 60 IN SOA ns1.ciscoexample.com. hostmaster.ciscoexample.com. 1 2 3 4 5',
      ],
      [{ name: 'ciscoexample.com', type: 'OTHER', ttl: 60, rrtype: 'CAA', data: '0 issue "ca.example"' }, 'ciscoexample.com. 60 IN CAA 0 issue "ca.example"'],
    ];
    for (const [record, line] of records) expect(zoneLine(record)).toBe(line);
  });

  it('builds new SRV and address lines with the default TTL', () => {
    expect(srvZoneLine(SRV, { priority: 10, weight: 10, port: 5061, target: 'sip.ciscoexample.com' })).toBe(
      '_sipfederationtls._tcp.ciscoexample.com. 3600 IN SRV 10 10 5061 sip.ciscoexample.com.',
    );
    expect(addressZoneLine('sip.ciscoexample.com', '192.0.2.10')).toBe('sip.ciscoexample.com. 3600 IN A 192.0.2.10');
    expect(addressZoneLine('sip.ciscoexample.com.', '2001:db8::10', 60)).toBe('sip.ciscoexample.com. 60 IN AAAA 2001:db8::10');
    expect(absoluteName('.')).toBe('.');
    expect(absoluteName('Sip.Example.com.')).toBe('sip.example.com.');
  });
});

describe('wording', () => {
  it('lists, pluralises and quotes', () => {
    expect(listOf([])).toBe('');
    expect(listOf(['a'])).toBe('a');
    expect(listOf(['a', 'b'])).toBe('a and b');
    expect(listOf(['a', 'b', 'c'])).toBe('a, b and c');
    expect(quotedList(['x', 'y'])).toBe('"x" and "y"');
    expect(plural(1, 'record')).toBe('1 record');
    expect(plural(2, 'record')).toBe('2 records');
    expect(plural(3, 'address', 'addresses')).toBe('3 addresses');
  });

  it('names endpoints, alias chains and partner requests', () => {
    expect(formatEndpoint('192.0.2.10', 5061)).toBe('192.0.2.10:5061');
    expect(formatEndpoint('2001:db8::10', 5061)).toBe('[2001:db8::10]:5061');
    expect(aliasChainText('SIP.example.com', [cnameRecord('sip.example.com', 'a.example.net'), cnameRecord('a.example.net', 'b.example.net')])).toBe(
      'sip.example.com → a.example.net → b.example.net',
    );
    expect(askPartner('msexample.com', 'fix it.')).toBe('Ask the administrators of msexample.com (it is their DNS and edge) to fix it.');
  });
});

it('srvQuery builder with an aliased owner is read through the alias', () => {
  const query = srvQuery(SRV, [srv(10, 10, 5061, 'sip.ciscoexample.com')], { cnames: ['_sipfederationtls._tcp.hosting.example.net'] });
  const prerequisite = federationSrv(targetObservations({ dns: [query] }));
  expect(prerequisite.met && prerequisite.value.ownerAliases.map((link) => link.data)).toEqual(['_sipfederationtls._tcp.hosting.example.net']);
});
