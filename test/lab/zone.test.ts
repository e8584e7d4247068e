import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ZoneParseError, loadZoneFile, parseTtl, parseZone } from '../../src/lab/zone.js';

const zonesDir = fileURLToPath(new URL('../../fixtures/zones/', import.meta.url));

const SOA = '@ 3600 IN SOA ns1 hostmaster 1 3600 600 86400 300';

function parseError(text: string, options: Parameters<typeof parseZone>[1] = { origin: 'example.test' }): ZoneParseError {
  try {
    parseZone(text, options);
  } catch (error) {
    if (error instanceof ZoneParseError) return error;
    throw error;
  }
  throw new Error('expected a ZoneParseError');
}

describe('parseZone', () => {
  it('reads the test fixture with every supported feature', async () => {
    const zone = await loadZoneFile(join(zonesDir, 'test-example.zone'), { variables: { PORT: 5061 } });
    expect(zone.origin).toBe('example.test');
    const find = (name: string, type: string) => zone.records.filter((r) => r.name === name && r.type === type);
    expect(find('example.test', 'SOA')).toEqual([
      {
        name: 'example.test',
        type: 'SOA',
        ttl: 3600,
        data: {
          mname: 'ns1.example.test',
          rname: 'hostmaster.example.test',
          serial: 2024010101,
          refresh: 3600,
          retry: 900,
          expire: 604800,
          minimum: 300,
        },
      },
    ]);
    expect(find('example.test', 'NS')).toEqual([{ name: 'example.test', type: 'NS', ttl: 3600, data: 'ns1.example.test' }]);
    expect(find('_sipfederationtls._tcp.example.test', 'SRV')[0]?.data).toEqual({
      priority: 10,
      weight: 50,
      port: 5061,
      target: 'sip.example.test',
    });
    expect(find('unavailable._tcp.example.test', 'SRV')[0]?.data).toMatchObject({ target: '.' });
    expect(find('sip.example.test', 'A')).toEqual([{ name: 'sip.example.test', type: 'A', ttl: 300, data: '127.0.0.2' }]);
    expect(find('sip.example.test', 'AAAA')).toEqual([{ name: 'sip.example.test', type: 'AAAA', ttl: 300, data: '::1' }]);
    expect(find('alias.example.test', 'CNAME')[0]).toMatchObject({ ttl: 3600, data: 'sip.example.test' });
    expect(find('outside.example.test', 'CNAME')[0]?.data).toBe('sip.elsewhere.test');
    expect(find('txt.example.test', 'TXT')[0]?.data).toEqual(['v=spf1 -all', 'second; string']);
    expect(find('deep.sub.example.test', 'A')[0]).toMatchObject({ ttl: 60, data: '127.0.0.3' });
  });

  it('takes the origin from the options, $ORIGIN (absolute or relative) and "@"', () => {
    const zone = parseZone(
      [SOA, 'www 60 A 192.0.2.1', '$ORIGIN sub', '@ 60 A 192.0.2.2', 'host 60 A 192.0.2.3', 'abs.example.test. 60 A 192.0.2.4'].join('\n'),
      { origin: 'Example.Test.' },
    );
    expect(zone.origin).toBe('example.test');
    expect(zone.records.slice(1).map((r) => r.name)).toEqual([
      'www.example.test',
      'sub.example.test',
      'host.sub.example.test',
      'abs.example.test',
    ]);
  });

  it('uses the SOA owner as the origin, else the first $ORIGIN', () => {
    expect(parseZone('$ORIGIN a.test.\n$ORIGIN b.a.test.\nx 1 A 192.0.2.1').origin).toBe('a.test');
    expect(parseZone('$TTL 1\nzone.test. SOA ns.zone.test. h.zone.test. 1 2 3 4 5\nwww.zone.test. A 192.0.2.1').origin).toBe(
      'zone.test',
    );
  });

  it('applies $TTL, then the previous TTL, and the SOA minimum when nothing else is known', () => {
    const fromPrevious = parseZone('@ SOA ns1 h 1 2 3 4 77\na 5 A 192.0.2.1\nb A 192.0.2.2', { origin: 'x.test' });
    expect(fromPrevious.records.map((r) => r.ttl)).toEqual([77, 5, 5]);
    const fromDirective = parseZone('$TTL 1h30m\n@ SOA ns1 h 1 2 3 4 77\na 5 A 192.0.2.1\nb A 192.0.2.2', { origin: 'x.test' });
    expect(fromDirective.records.map((r) => r.ttl)).toEqual([5400, 5, 5400]);
  });

  it('accepts TTL and class in either order, class optional, any case', () => {
    const zone = parseZone([SOA, 'a IN 10 A 192.0.2.1', 'b 20 in a 192.0.2.2', 'c 30 A 192.0.2.3', 'd in 40 txt x'].join('\n'), {
      origin: 'example.test',
    });
    expect(zone.records.slice(1).map((r) => [r.name, r.type, r.ttl])).toEqual([
      ['a.example.test', 'A', 10],
      ['b.example.test', 'A', 20],
      ['c.example.test', 'A', 30],
      ['d.example.test', 'TXT', 40],
    ]);
  });

  it('gives a blank owner the previous owner', () => {
    const zone = parseZone([SOA, 'host 60 A 192.0.2.1', '\t60 AAAA 2001:db8::1', '  60 TXT "also host"'].join('\n'), {
      origin: 'example.test',
    });
    expect(zone.records.slice(1).map((r) => `${r.name} ${r.type}`)).toEqual([
      'host.example.test A',
      'host.example.test AAAA',
      'host.example.test TXT',
    ]);
  });

  it('ignores comments and blank lines, and reads parentheses over several lines', () => {
    const zone = parseZone(
      [
        '; a comment line',
        '',
        '@ 60 IN SOA ns1 hostmaster ( ; opening',
        '   5 ; serial',
        '   (3600) 600',
        '   86400',
        '   300 )',
        'txt 60 TXT ( "one" ; comment inside',
        '  "two" )',
      ].join('\r\n'),
      { origin: 'example.test' },
    );
    expect(zone.records[0]?.data).toMatchObject({ serial: 5, refresh: 3600, retry: 600, expire: 86400, minimum: 300 });
    expect(zone.records[1]?.data).toEqual(['one', 'two']);
  });

  it('reads quoted TXT strings with escapes, and unquoted words', () => {
    const zone = parseZone([SOA, 'a 60 TXT "say \\"hi\\"; ok" back\\\\slash "\\065\\066" ""'].join('\n'), {
      origin: 'example.test',
    });
    expect(zone.records[1]?.data).toEqual(['say "hi"; ok', 'back\\slash', 'AB', '']);
  });

  it('keeps TXT bytes that are not UTF-8 as buffers', () => {
    const zone = parseZone([SOA, 'a 60 TXT "\\255\\000"'].join('\n'), { origin: 'example.test' });
    expect(zone.records[1]?.data).toEqual([Buffer.from([255, 0])]);
  });

  it('reads PTR and NS records and drops exact duplicates', () => {
    const zone = parseZone('$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns.example.test.\n1 PTR host.example.test.\n1 PTR host.example.test.', {
      origin: '2.0.192.in-addr.arpa',
    });
    expect(zone.records.map((r) => `${r.name} ${r.type} ${String(r.data)}`)).toEqual([
      '2.0.192.in-addr.arpa SOA [object Object]',
      '2.0.192.in-addr.arpa NS ns.example.test',
      '1.2.0.192.in-addr.arpa PTR host.example.test',
    ]);
  });

  it('replaces {{NAME}} placeholders in records, but not in comments', () => {
    const zone = parseZone(
      [SOA, '_sipfederationtls._tcp 60 SRV 0 0 {{PORT_GOOD}} {{ HOST }} ; {{NOT_A_VARIABLE}}', 'h 60 A {{ADDRESS}}'].join('\n'),
      { origin: 'example.test', variables: { PORT_GOOD: 40123, HOST: 'sip', ADDRESS: '127.0.0.5' } },
    );
    expect(zone.records[1]?.data).toEqual({ priority: 0, weight: 0, port: 40123, target: 'sip.example.test' });
    expect(zone.records[2]?.data).toBe('127.0.0.5');
  });
});

describe('parseZone errors name the file and the line', () => {
  it.each([
    ['an unknown placeholder', `${SOA}\nh 60 A {{MISSING}}`, 2, /unknown placeholder \{\{MISSING\}\}/],
    ['a malformed placeholder', `${SOA}\nh 60 A {{1X}}`, 2, /malformed placeholder/],
    ['a placeholder value with a line break', `${SOA}\nh 60 TXT {{BROKEN}}`, 2, /line break/],
    ['a bad IPv4 address', `${SOA}\nh 60 A 256.1.1.1`, 2, /not an IPv4 address/],
    ['an IPv6 address in an A record', `${SOA}\nh 60 A ::1`, 2, /not an IPv4 address/],
    ['a bad IPv6 address', `${SOA}\nh 60 AAAA 2001:db8::g`, 2, /not an IPv6 address/],
    ['a scoped IPv6 address', `${SOA}\nh 60 AAAA fe80::1%eth0`, 2, /not an IPv6 address/],
    ['an SRV port out of range', `${SOA}\n_s._tcp 60 SRV 0 0 65536 h`, 2, /SRV port "65536"/],
    ['a non-numeric SRV weight', `${SOA}\n_s._tcp 60 SRV 0 x 5061 h`, 2, /SRV weight "x"/],
    ['an SRV with missing fields', `${SOA}\n_s._tcp 60 SRV 0 0 5061`, 2, /SRV needs priority, weight, port and target, got 3 fields/],
    ['an SOA serial out of range', '@ 60 SOA ns h 4294967296 1 1 1 1', 1, /SOA serial/],
    ['an SOA timer that is not a time', '@ 60 SOA ns h 1 1x 1 1 1', 1, /SOA refresh "1x"/],
    ['an SOA with missing fields', '@ 60 SOA ns h 1 1 1 1', 1, /SOA needs mname/],
    ['a second SOA', `${SOA}\n\n${SOA}`, 3, /second SOA record \(the first is on line 1\)/],
    ['a bad TTL', `${SOA}\nh 6o A 192.0.2.1`, 2, /"6o" is not a TTL/],
    ['a TTL above 2^31-1', `${SOA}\nh 2147483648 A 192.0.2.1`, 2, /exceeds/],
    ['a bad $TTL', '$TTL forever', 1, /\$TTL "forever" is not a TTL/],
    ['a $TTL without value', '$TTL', 1, /\$TTL takes exactly one TTL/],
    ['an $ORIGIN without value', '$ORIGIN', 1, /\$ORIGIN takes exactly one domain name/],
    ['$INCLUDE', '$INCLUDE other.zone', 1, /\$INCLUDE is not supported/],
    ['an unknown directive', '$FOO bar', 1, /unknown directive \$FOO/],
    ['an unsupported type', `${SOA}\nh 60 MX 10 mail`, 2, /unsupported record type "MX"/],
    ['an unsupported class', `${SOA}\nh 60 CH A 192.0.2.1`, 2, /class CH is not supported/],
    ['a missing type', `${SOA}\nh 60 IN`, 2, /no record type after "IN"/],
    ['a blank owner with no previous owner', '  60 A 192.0.2.1', 1, /no previous owner/],
    ['an unclosed parenthesis', `${SOA}\ntxt 60 TXT ( "a"\n"b"`, 2, /"\(" is never closed/],
    ['a stray closing parenthesis', `${SOA}\ntxt 60 TXT "a" )`, 2, /"\)" without a matching "\("/],
    ['an unterminated quote', `${SOA}\ntxt 60 TXT "abc`, 2, /unterminated quoted string/],
    ['a TXT string over 255 bytes', `${SOA}\ntxt 60 TXT "${'x'.repeat(256)}"`, 2, /TXT string of 256 bytes/],
    ['an escape that is not a byte', `${SOA}\ntxt 60 TXT "\\300"`, 2, /not a byte/],
    ['an empty TXT', `${SOA}\ntxt 60 TXT`, 2, /TXT needs at least one string/],
    ['an empty label', `${SOA}\na..b 60 A 192.0.2.1`, 2, /empty label/],
    ['a label over 63 bytes', `${SOA}\n${'l'.repeat(64)} 60 A 192.0.2.1`, 2, /longer than 63 bytes/],
    ['a name over 253 bytes', `${SOA}\n${Array(5).fill('l'.repeat(60)).join('.')} 60 A 192.0.2.1`, 2, /longer than 253 bytes/],
    ['an escaped name', `${SOA}\na\\.b 60 A 192.0.2.1`, 2, /escapes in names are not supported/],
    ['a quoted name', `${SOA}\nh 60 CNAME "target"`, 2, /must not be quoted/],
    ['a record outside the zone', `${SOA}\nother.test. 60 A 192.0.2.1`, 2, /"other.test" is outside the zone "example.test"/],
    ['a CNAME beside other data', `${SOA}\nh 60 A 192.0.2.1\nh 60 CNAME x`, 3, /cannot have a CNAME and other records/],
    ['data beside a CNAME', `${SOA}\nh 60 CNAME x\nh 60 A 192.0.2.1`, 3, /cannot have a CNAME and other records/],
    ['two CNAMEs', `${SOA}\nh 60 CNAME x\nh 60 CNAME y`, 3, /already has a CNAME/],
    ['a record without any TTL', 'h.example.test. A 192.0.2.1', 1, /no TTL/],
  ])('%s', (_what, text, line, message) => {
    const error = parseError(text, { origin: 'example.test', fileName: 'broken.zone', variables: { BROKEN: 'a\nb' } });
    expect(error.fileName).toBe('broken.zone');
    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`broken.zone:${line}: `)).toBe(true);
  });

  it('reports a relative name or "@" without any origin', () => {
    expect(parseError('www 60 A 192.0.2.1', {}).message).toMatch(/relative but no origin is set/);
    expect(parseError('@ 60 A 192.0.2.1', {}).message).toMatch(/"@" but no origin is set/);
  });

  it('reports a zone whose origin cannot be told', () => {
    const error = parseError('; nothing here\n', { fileName: 'empty.zone' });
    expect(error.message).toBe("empty.zone:1: cannot tell the zone's origin: add an SOA record or $ORIGIN");
  });

  it('names the file it loaded in errors, and lets read errors through', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fedcheck-zone-'));
    try {
      const path = join(dir, 'bad.zone');
      await writeFile(path, `$ORIGIN example.test.\n${SOA}\nh 60 A nope\n`);
      await expect(loadZoneFile(path)).rejects.toThrow(`${path}:3: "nope" is not an IPv4 address`);
      await expect(loadZoneFile(join(dir, 'missing.zone'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('parseTtl', () => {
  it.each([
    ['0', 0],
    ['3600', 3600],
    ['1h', 3600],
    ['1H30m', 5400],
    ['1w2d', 777600],
    ['90s', 90],
  ])('reads %s', (text, seconds) => {
    expect(parseTtl(text)).toBe(seconds);
  });

  it.each(['', 'h', '1x', '-1', '1.5', '1h 2m'])('rejects %j', (text) => {
    expect(parseTtl(text)).toBeUndefined();
  });
});
