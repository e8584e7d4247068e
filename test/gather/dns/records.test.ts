import type { Answer } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { renderData, toDnsRecord } from '../../../src/gather/dns/records.js';

describe('toDnsRecord', () => {
  it('canonicalises owner and target names', () => {
    expect(toDnsRecord({ name: 'WWW.Example.TEST', type: 'CNAME', ttl: 30, data: 'Host.Example.Test.' })).toEqual({
      name: 'www.example.test',
      type: 'CNAME',
      ttl: 30,
      data: 'host.example.test',
    });
    expect(toDnsRecord({ name: 'x.test', type: 'NS', ttl: 1, data: 'NS1.X.Test' })).toMatchObject({ data: 'ns1.x.test' });
  });

  it('fills SRV and SOA fields a server left out with 0', () => {
    expect(toDnsRecord({ name: 's.test', type: 'SRV', ttl: 1, data: { port: 5061, target: '.' } })).toEqual({
      name: 's.test',
      type: 'SRV',
      ttl: 1,
      data: { priority: 0, weight: 0, port: 5061, target: '.' },
    });
    expect(toDnsRecord({ name: 's.test', type: 'SOA', ttl: 1, data: { mname: 'A.test', rname: 'B.test' } })).toMatchObject({
      data: { mname: 'a.test', rname: 'b.test', serial: 0, minimum: 0 },
    });
  });

  it('decodes TXT buffers as text', () => {
    expect(toDnsRecord({ name: 't.test', type: 'TXT', ttl: 1, data: [Buffer.from('a b'), Buffer.from('c')] })).toMatchObject({
      data: ['a b', 'c'],
    });
  });

  it('turns unknown types and shapes into OTHER with a printable rendering', () => {
    const unknown = { name: 'u.test', type: 'UNKNOWN_65', ttl: 1, data: Buffer.from([1, 2, 3]) } as unknown as Answer;
    expect(toDnsRecord(unknown)).toEqual({ name: 'u.test', type: 'OTHER', ttl: 1, rrtype: 'TYPE65', data: '\\# 3 010203' });
    const brokenSrv = { name: 'b.test', type: 'SRV', ttl: 1, data: Buffer.from([0]) } as unknown as Answer;
    expect(toDnsRecord(brokenSrv)).toMatchObject({ type: 'OTHER', rrtype: 'SRV', data: '\\# 1 00' });
    const caa = { name: 'c.test', type: 'CAA', ttl: 1, data: { flags: 0, tag: 'issue', value: 'ca.test' } } as Answer;
    expect(toDnsRecord(caa)).toMatchObject({ type: 'OTHER', rrtype: 'CAA', data: 'flags=0 tag=issue value=ca.test' });
  });

  it('renders nested values and empty data', () => {
    expect(renderData(undefined)).toBe('');
    expect(renderData(Buffer.alloc(0))).toBe('\\# 0');
    expect(renderData(['a', 1, Buffer.from([255])])).toBe('a 1 \\# 1 ff');
  });
});
