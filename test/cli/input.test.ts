import { describe, expect, it } from 'vitest';
import { UsageError, normaliseDomain, parseInteger, parseResolver } from '../../src/cli/input.js';

describe('normaliseDomain', () => {
  it.each([
    ['ciscoexample.com', 'ciscoexample.com'],
    ['CiscoExample.COM', 'ciscoexample.com'],
    ['ciscoexample.com.', 'ciscoexample.com'],
    ['  exp.ciscoexample.com  ', 'exp.ciscoexample.com'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['a-b.c1.example', 'a-b.c1.example'],
    [`${'a'.repeat(63)}.example`, `${'a'.repeat(63)}.example`],
  ])('accepts %j as %j', (input, expected) => {
    expect(normaliseDomain(input)).toBe(expected);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['cisco example.com', /white space/],
    ['https://ciscoexample.com', /URI/],
    ['sip:ciscoexample.com', /URI/],
    ['user@ciscoexample.com', /after the @/],
    ['a..b', /empty label/],
    ['.example.com', /empty label/],
    ['.', /empty label/],
    [`${'a'.repeat(64)}.example`, /longer than 63/],
    [`${'abcdefghi.'.repeat(26)}example`, /longer than 253/],
    ['ciscoexample.com;rm -rf /', /characters/],
    ['$(reboot).example.com', /characters/],
    ['`id`.example.com', /characters/],
    ['-bad.example.com', /invalid label/],
    ['bad-.example.com', /invalid label/],
    ['under_score.example.com', /invalid label/],
    ['localhost', /two labels/],
    ['192.0.2.1', /IP address/],
  ])('rejects %j', (input, message) => {
    expect(() => normaliseDomain(input)).toThrow(UsageError);
    expect(() => normaliseDomain(input)).toThrow(message);
  });

  it('names the option in the message', () => {
    expect(() => normaliseDomain('a..b', '--partner')).toThrow(/^--partner "a..b"/);
  });
});

describe('parseResolver', () => {
  it.each([
    ['192.0.2.53', { host: '192.0.2.53', port: 53 }],
    ['192.0.2.53:5353', { host: '192.0.2.53', port: 5353 }],
    ['2001:db8::53', { host: '2001:db8::53', port: 53 }],
    ['[2001:db8::53]', { host: '2001:db8::53', port: 53 }],
    ['[::1]:5353', { host: '::1', port: 5353 }],
  ])('reads %j', (input, expected) => {
    expect(parseResolver(input)).toEqual(expected);
  });

  it.each([
    ['dns.example.com', /not an IP address/],
    ['192.0.2.53:0', /between 1 and 65535/],
    ['192.0.2.53:65536', /between 1 and 65535/],
    ['192.0.2.53:abc', /not a number/],
    ['192.0.2.53:', /not a number/],
    ['999.0.2.53', /not an IP address/],
    ['2001:db8::53:53:zz', /brackets|not an IP/],
    ['[2001:db8::53]:x', /not a number/],
  ])('rejects %j', (input, message) => {
    expect(() => parseResolver(input)).toThrow(message);
  });
});

describe('parseInteger', () => {
  it('accepts whole numbers in range', () => {
    expect(parseInteger('1500', '--timeout', 100)).toBe(1500);
    expect(parseInteger(7, '--warn-days', 0)).toBe(7);
  });
  it.each(['1.5', 'abc', '', '1e3'])('rejects %j', (input) => {
    expect(() => parseInteger(input, '--timeout', 100)).toThrow(/--timeout must be a whole number/);
  });
  it('says a negative number must be positive, or zero or more where zero is allowed', () => {
    expect(() => parseInteger('-5', '--timeout', 100, 3_600_000)).toThrow('--timeout must be positive (between 100 and 3600000), got -5');
    expect(() => parseInteger(-5, '--warn-days', 0, 3650)).toThrow('--warn-days must be zero or more (between 0 and 3650), got -5');
  });
  it('rejects numbers out of range', () => {
    expect(() => parseInteger('50', '--timeout', 100)).toThrow(/between 100/);
  });
});
