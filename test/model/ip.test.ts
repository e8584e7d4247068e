import { describe, expect, it } from 'vitest';
import { canonicalIpAddress, formatIpAddress, inNetwork, parseIpAddress, peerEndpoint, unmapIpv4 } from '../../src/model/ip.js';

describe('peerEndpoint', () => {
  it('names a peer by address and port, IPv6 in brackets', () => {
    expect(peerEndpoint({ address: '192.0.2.1', port: 5061 })).toBe('192.0.2.1:5061');
    expect(peerEndpoint({ address: '2001:db8::1', port: 5062 })).toBe('[2001:db8::1]:5062');
  });
});

describe('parseIpAddress', () => {
  it.each([
    ['192.0.2.10', 4, [192, 0, 2, 10]],
    ['::1', 6, [...Array<number>(15).fill(0), 1]],
    ['2001:db8::a', 6, [0x20, 0x01, 0x0d, 0xb8, ...Array<number>(11).fill(0), 0x0a]],
    ['::ffff:10.0.0.1', 6, [...Array<number>(10).fill(0), 0xff, 0xff, 10, 0, 0, 1]],
    ['fe80::1%eth0', 6, [0xfe, 0x80, ...Array<number>(13).fill(0), 1]],
  ])('reads %s', (text, family, bytes) => {
    expect(parseIpAddress(text)).toEqual({ family, bytes });
  });

  it.each(['', 'example.com', '256.0.0.1', '1.2.3', '1:2:3:4:5:6:7:8:9', '1::2::3', '::g', '1.2.3.4.5', '01234::'])(
    'refuses %j',
    (text) => {
      expect(parseIpAddress(text)).toBeUndefined();
    },
  );
});

describe('formatIpAddress and canonicalIpAddress', () => {
  it('writes IPv4 and RFC 5952 IPv6', () => {
    expect(formatIpAddress([192, 0, 2, 1])).toBe('192.0.2.1');
    expect(canonicalIpAddress('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonicalIpAddress('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(canonicalIpAddress('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1');
    expect(canonicalIpAddress('::')).toBe('::');
  });

  it('refuses lengths that are not an address', () => {
    expect(formatIpAddress([1, 2, 3])).toBeUndefined();
    expect(canonicalIpAddress('not an address')).toBeUndefined();
  });

  it('round-trips', () => {
    for (const text of ['10.1.2.3', '2001:db8::10', '::1', 'fe80::1:2']) {
      expect(formatIpAddress(parseIpAddress(text)!.bytes)).toBe(text);
    }
  });
});

describe('inNetwork and unmapIpv4', () => {
  const network = (text: string) => parseIpAddress(text)!;
  it('matches by prefix length within one family', () => {
    expect(inNetwork(network('172.31.255.1'), network('172.16.0.0'), 12)).toBe(true);
    expect(inNetwork(network('172.32.0.1'), network('172.16.0.0'), 12)).toBe(false);
    expect(inNetwork(network('fd00::1'), network('fc00::'), 7)).toBe(true);
    expect(inNetwork(network('10.0.0.1'), network('fc00::'), 7)).toBe(false);
  });

  it('unwraps IPv4-mapped IPv6 only', () => {
    expect(unmapIpv4(network('::ffff:10.0.0.1'))).toEqual({ family: 4, bytes: [10, 0, 0, 1] });
    expect(unmapIpv4(network('2001:db8::1')).family).toBe(6);
  });
});
