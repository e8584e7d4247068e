import { describe, expect, it } from 'vitest';
import { privateAddressRange } from '../../../src/checks/shared/private-ranges.js';

describe('privateAddressRange', () => {
  it.each([
    ['10.255.255.255', '10.0.0.0/8'],
    ['172.31.0.1', '172.16.0.0/12'],
    ['192.168.0.1', '192.168.0.0/16'],
    ['100.127.255.254', '100.64.0.0/10'],
    ['169.254.10.1', '169.254.0.0/16'],
    ['fc00::1', 'fc00::/7'],
    ['FDFF:ffff::1', 'fc00::/7'],
    ['fe80::1%eth0', 'fe80::/10'],
    ['febf::1', 'fe80::/10'],
    ['::ffff:10.1.2.3', '10.0.0.0/8'],
  ])('%s is in %s', (address, cidr) => {
    expect(privateAddressRange(address)).toContain(cidr);
  });

  it.each([
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '192.0.2.10',
    '8.8.8.8',
    '127.0.0.1',
    '::1',
    '2001:db8::10',
    'fec0::1',
    'fbff::1',
    '::ffff:192.0.2.1',
    'not-an-address',
    '10.0.0',
    '10.0.0.256',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '',
  ])('%s is not private', (address) => {
    expect(privateAddressRange(address)).toBeUndefined();
  });
});
