import dns from 'node:dns';
import { describe, expect, it } from 'vitest';
import { parseResolverAddress, systemResolvers } from '../../../src/gather/dns/system-resolvers.js';

describe('parseResolverAddress', () => {
  it.each([
    ['1.2.3.4', { host: '1.2.3.4', port: 53 }],
    ['1.2.3.4:5353', { host: '1.2.3.4', port: 5353 }],
    ['::1', { host: '::1', port: 53 }],
    ['2001:db8::53', { host: '2001:db8::53', port: 53 }],
    ['[::1]:53', { host: '::1', port: 53 }],
    ['[2001:db8::1]:5300', { host: '2001:db8::1', port: 5300 }],
    ['[fe80::1%eth0]:53', { host: 'fe80::1%eth0', port: 53 }],
    ['[::1]', { host: '::1', port: 53 }],
    [' 10.0.0.1 ', { host: '10.0.0.1', port: 53 }],
  ])('reads %s', (text, expected) => {
    expect(parseResolverAddress(text)).toEqual(expected);
  });

  it.each(['', 'dns.example', '1.2.3', '1.2.3.4:', '1.2.3.4:0', '1.2.3.4:65536', '[1.2.3.4]:53', '[::1]:x', '::1:53:zz'])(
    'rejects %j',
    (text) => {
      expect(parseResolverAddress(text)).toBeUndefined();
    },
  );

  it('uses the given default port', () => {
    expect(parseResolverAddress('192.0.2.1', 5353)).toEqual({ host: '192.0.2.1', port: 5353 });
  });
});

describe('systemResolvers', () => {
  it('parses every form dns.getServers() reports, skips unreadable entries and drops duplicates', () => {
    expect(systemResolvers(['10.0.0.53', '10.0.0.53:53', '[::1]:53', '::1', '[::1]:5353', 'junk', '10.0.0.54:5353'])).toEqual([
      { host: '10.0.0.53', port: 53 },
      { host: '::1', port: 53 },
      { host: '::1', port: 5353 },
      { host: '10.0.0.54', port: 5353 },
    ]);
  });

  it("reads Node's resolver configuration by default", () => {
    const original = dns.getServers();
    try {
      dns.setServers(['192.0.2.53', '[2001:db8::53]:5353']);
      expect(systemResolvers()).toEqual([
        { host: '192.0.2.53', port: 53 },
        { host: '2001:db8::53', port: 5353 },
      ]);
    } finally {
      dns.setServers(original);
    }
  });
});
