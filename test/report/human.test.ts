import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/model/findings.js';
import { fixturesPath, startLab, type LabSpec } from '../../src/lab/lab.js';
import { sipFederationSrvName } from '../../src/model/dns.js';
import { statusWord } from '../../src/report/facts.js';
import { HUMAN_WRAP_COLUMNS, renderHuman } from '../../src/report/human.js';
import { resultFromDocument, type SavedDocument } from '../../src/report/json.js';
import { oneLine } from '../../src/report/text.js';
import {
  RENDERER_SCENARIOS,
  RESOLVER,
  addressQuery,
  authoritativeServers,
  certificate,
  cleanPass,
  cleanPassTarget,
  dnsErrors,
  everyOptionalField,
  failedQuery,
  finding,
  hostileStrings,
  microsoft365PartnerTarget,
  mixedCertificates,
  noTlsProbes,
  runResult,
  srv,
  srvQuery,
  target,
  peerProbe,
  tiedSrvRecords,
  twoSrvOutOfNamespace,
  withImPresence,
} from './results.js';
import { runFedcheck } from '../helpers/fedcheck.js';
import { temporaryPath } from '../helpers/files.js';

const plain = (result: RunResult): string => renderHuman(result, { color: false });
/** A terminal wide enough that no row of these scenarios wraps. */
const wide = (result: RunResult): string => renderHuman(result, { color: false, width: 200 });
const ESC = '\u001b';

/** The lines of one section: from its heading to the next line at the same or a lower indent. */
function section(output: string, heading: string): string[] {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => line.trimStart().startsWith(heading));
  expect(start, `section "${heading}"`).toBeGreaterThanOrEqual(0);
  const indent = lines[start]!.length - lines[start]!.trimStart().length;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => line.length - line.trimStart().length <= indent);
  return end < 0 ? rest : rest.slice(0, end);
}

describe('human report: a clean pass', () => {
  const output = plain(cleanPass());

  it('names the target by role and shows its status as a word', () => {
    expect(output).toContain('Local SIP domain ciscoexample.com  PASS');
  });

  it('follows the path: SRV, then addresses, then TLS peers, then findings', () => {
    const positions = ['  SRV _sipfederationtls._tcp.ciscoexample.com', '  Addresses of sip.ciscoexample.com', '  TLS peers', '  Findings'].map(
      (heading) => output.indexOf(heading),
    );
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('lists the SRV record with its TTL and why Microsoft selects it', () => {
    expect(section(output, 'SRV _sipfederationtls')).toEqual([
      '    →  10  100  5061  sip.ciscoexample.com  TTL 3600  selected: the only record',
    ]);
  });

  it('lists the addresses with their TTL, and the lookup outcome where there are none, on one line', () => {
    expect(output).toContain('\n  Addresses of sip.ciscoexample.com: A 192.0.2.10 (TTL 300); AAAA no record (NOERROR, no data)\n');
  });

  it('with --verbose, tabulates the addresses with TTLs and the lookup outcome with its resolver', () => {
    const lines = section(renderHuman(cleanPass(), { color: false, width: 200, verbose: true }), 'Addresses of');
    expect(lines[0]).toMatch(/^ {4}A +192\.0\.2\.10 +TTL 300$/);
    expect(lines[1]).toBe(
      '    AAAA  sip.ciscoexample.com exists but has no AAAA record (NOERROR, no data) at 192.0.2.53:53',
    );
  });

  it('shows one row per TLS peer: version, CN, days left from the start of the run, verdict, handshake time', () => {
    expect(section(output, 'TLS peers')).toEqual([
      '    192.0.2.10:5061  TLSv1.3  CN sip.ciscoexample.com  87 days left  trusted  23 ms',
    ]);
  });

  it('collapses the passes into one line that counts and names them', () => {
    const findings = section(output, 'Findings');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(/^ {4}PASS {3}8 passed: srv-present, srv-single, srv-port, srv-target-namespace, tls-connect and \d more$/);
    expect(findings[0]!.length).toBeLessThanOrEqual(HUMAN_WRAP_COLUMNS);
  });

  it('starts with the verdict, then how the run was made', () => {
    const [first, second] = output.split('\n');
    expect(first).toBe('PASS  8 pass in 1 target');
    expect(second).toBe('fedcheck 0.1.0 · started 2025-03-01T08:00:00.000Z · took 1.2 s');
  });

  it('ends with the counts, the overall verdict and the duration', () => {
    expect(output.endsWith('Summary: 0 fail, 0 error, 0 warn, 0 info, 8 pass, 0 skip · 1 target · overall PASS · 1.2 s\n')).toBe(
      true,
    );
  });

  it('has no IM and Presence section without IM/P probes', () => {
    expect(output).not.toContain('IM and Presence');
  });
});

describe('human report: two SRV records, the selected one outside the namespace', () => {
  const output = plain(twoSrvOutOfNamespace());

  it("lists every record in Microsoft's order of preference and marks only the one Microsoft selects", () => {
    expect(section(output, 'SRV _sipfederationtls')).toEqual([
      '    →  10  100  5061  edge.example.net      TTL 3600  selected: lowest priority (10)',
      '       20  100  5061  sip.ciscoexample.com  TTL 3600  never used by Microsoft edges (no failover)',
    ]);
  });

  it('shows the addresses of the selected target, through its alias', () => {
    const lines = section(output, 'Addresses of edge.example.net');
    expect(lines[0]).toMatch(/^ {4}CNAME +edge\.example\.net → edge-lb\.example\.net +TTL 300$/);
    expect(lines.filter((line) => /^ {4}A +198\.51\.100\.2[01] /.test(line))).toHaveLength(2);
    expect(lines.some((line) => /^ {4}AAAA +2001:db8::20 /.test(line))).toBe(true);
  });

  it('puts the failure first, then warnings, then the passes on one line, each broken rule with its fix', () => {
    const findings = section(output, 'Findings');
    const statuses = findings.filter((line) => /^ {4}[A-Z]/.test(line)).map((line) => line.trim().split(' ')[0]);
    expect(statuses).toEqual(['FAIL', 'WARN', 'WARN', 'PASS']);
    expect(findings[findings.length - 1]).toBe('    PASS   2 passed: srv-present, cert-name');
    const fail = findings.indexOf('    FAIL   srv-target-namespace  edge.example.net');
    expect(fail).toBe(0);
    expect(findings[fail + 1]).toBe(
      '           The selected target edge.example.net is outside ciscoexample.com: Microsoft logs',
    );
    expect(findings[fail + 2]).toBe('           ms-diagnostics 1009.');
    expect(findings[fail + 3]).toBe('           Fix: Point the SRV record at a host in ciscoexample.com, e.g. sip.ciscoexample.com.');
  });

  it('reports the overall failure', () => {
    expect(output).toContain('Local SIP domain ciscoexample.com  FAIL');
    expect(output).toContain('Summary: 1 fail, 0 error, 2 warn, 0 info, 2 pass, 0 skip · 1 target · overall FAIL');
  });
});

describe('human report: DNS errors', () => {
  const output = plain(dnsErrors());

  it('gives the lookup outcome on the SRV line when there are no SRV records, wrapped at 100 columns', () => {
    const lines = output.split('\n');
    const local = lines.indexOf('  SRV _sipfederationtls._tcp.ciscoexample.com could not be resolved: the server answered SERVFAIL at');
    expect(local).toBeGreaterThan(0);
    expect(lines[local + 1]).toBe('      192.0.2.53:53 (48 ms)');
    expect(lines).toContain('  SRV _sipfederationtls._tcp.msexample.com does not exist (NXDOMAIN) at 192.0.2.53:53 (12 ms)');
    expect(output).toContain('could not be resolved: no answer within 2000 ms at\n      192.0.2.53:53 (2000 ms)');
  });

  it('has a section per target, partners named as such, and no address section without a target', () => {
    expect(output).toContain('Local SIP domain ciscoexample.com  ERROR');
    expect(output).toContain('Partner msexample.com  FAIL');
    expect(output).toContain('  Expressway-E → SRV → Microsoft edge → certificate');
    expect(output).not.toContain('Addresses of');
  });

  it('says when the run deadline cut gathering short', () => {
    expect(output).toContain('Gathering was cut short by the run deadline (--timeout)');
    expect(output).toContain('  TLS peers: none probed (the run deadline expired first)');
  });

  it('says nothing of TLS peers when there was no target to probe', () => {
    const partner = output.slice(output.indexOf('Partner msexample.com'), output.indexOf('Local SIP domain unreachable.example'));
    expect(partner).not.toContain('TLS peers');
  });

  it('puts skips on one line per reason, saying what they wait on, and shows errors in full', () => {
    expect(output).toContain('    SKIP   srv-single not run: No SRV records to judge.\n    SKIP   tls-connect not run: No federation peer to connect to.\n');
    expect(output).toContain('    ERROR  srv-present  _sipfederationtls._tcp.ciscoexample.com\n           _sipfederationtls._tcp');
  });
});

describe('human report: TLS peers with mixed certificates', () => {
  const peers = section(wide(mixedCertificates()), 'TLS peers');

  it('shows one row per peer, failures in place of the certificate columns', () => {
    expect(peers).toHaveLength(5);
    expect(peers[0]).toMatch(/^ {4}192\.0\.2\.10:5061 +TLSv1\.3 +CN sip\.ciscoexample\.com +87 days left +trusted +23 ms$/);
    expect(peers[1]).toMatch(/^ {4}192\.0\.2\.11:5061 +TLSv1\.3 +CN sip\.ciscoexample\.com +10 days left +self-signed +13 ms$/);
    expect(peers[2]).toMatch(/ +TLSv1\.2 +CN sip\.ciscoexample\.com +expired 3 days ago +untrusted-root +57 ms +also accepts TLSv1, TLSv1\.1$/);
    expect(peers[3]).toBe('    192.0.2.13:5061      connect refused after 2 ms: connect ECONNREFUSED 192.0.2.13:5061');
    expect(peers[4]).toBe('    [2001:db8::10]:5061  handshake plaintext after 41 ms: server sent "HTTP/1.1 400 Bad Request"');
  });
});

describe('human report: mutual TLS', () => {
  it('notes a handshake the server refused for want of a client certificate, and the verdict on ours', () => {
    const peers = section(wide(everyOptionalField()), 'TLS peers');
    expect(peers[0]).toMatch(
      / +30 ms +handshake refused: the server demands a client certificate; client certificate rejected$/,
    );
  });
});

describe('human report: no TLS probes', () => {
  const output = plain(noTlsProbes());

  it('says no peer was probed and why the addresses are missing', () => {
    expect(output).toContain('\n  TLS peers: none probed\n');
    expect(output).toContain('\n  Addresses of sip.ciscoexample.com: A and AAAA NXDOMAIN\n');
  });
});

describe('human report: Microsoft 365 partner and IM and Presence', () => {
  it('names the Microsoft 365 cloud of the selected target', () => {
    const output = wide(runResult([microsoft365PartnerTarget()]));
    expect(output).toContain('Partner msexample.com  INFO');
    expect(output).toMatch(/→ +100 +1 +5061 +sipfed\.online\.lync\.com +TTL 3600 +selected: the only record; hosted by Microsoft 365 \(worldwide\)/);
  });

  it('lists IM/P probes in their own sub-section, apart from the federation peers', () => {
    const output = plain(withImPresence());
    expect(section(output, 'TLS peers')).toHaveLength(1);
    expect(section(output, 'IM and Presence: IM/P FQDN imp1-public.ciscoexample.com (Expressway-C → IM/P FQDN → 5062)')).toEqual([
      '    10.1.1.21:5062  TLSv1.3  CN imp1-public.ciscoexample.com  45 days left  trusted  9 ms',
    ]);
  });
});

describe('human report: the authoritative servers', () => {
  const withServers = (): RunResult => {
    const result = cleanPass();
    result.targets[0]!.observations.authoritative = authoritativeServers();
    return result;
  };

  it('shows, per server, its serial and what it answered, a lame one as lame, a silent one as silent', () => {
    const rows = section(wide(withServers()), 'Authoritative servers of ciscoexample.com');
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/ns1\.ciscoexample\.com\s+192\.0\.2\.51\s+serial 2026010102\s+SRV 10 10 5061 sip\.ciscoexample\.com; A 192\.0\.2\.10; AAAA no record/);
    expect(rows[1]).toMatch(/ns2\.ciscoexample\.com\s+192\.0\.2\.52\s+serial 2025061501\s+SRV 10 10 5061 vcse\.ciscoexample\.com; A no record/);
    expect(rows[2]).toMatch(/ns3\.ciscoexample\.com\s+192\.0\.2\.53\s+lame: REFUSED to ciscoexample\.com SOA/);
    expect(rows[3]).toMatch(/ns4\.ciscoexample\.com\s+192\.0\.2\.54\s+no answer within 2000 ms/);
  });

  it('is one line naming each server and its serial when they all agree, the table with --verbose', () => {
    const agreeing = (): RunResult => {
      const result = cleanPass();
      const target = result.targets[0]!;
      const observations = authoritativeServers();
      observations.servers = observations.servers.slice(0, 1);
      target.observations.authoritative = observations;
      target.findings.push(finding('dns-authoritative', 'pass', 'ciscoexample.com', 'they agree', { code: 'dns-authoritative.consistent' }));
      return result;
    };
    expect(wide(agreeing())).toContain(
      '\n  Authoritative server of ciscoexample.com, asked directly: ns1.ciscoexample.com 192.0.2.51 (serial 2026010102)\n',
    );
    const rows = section(renderHuman(agreeing(), { color: false, width: 200, verbose: true }), 'Authoritative servers of ciscoexample.com');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/ns1\.ciscoexample\.com\s+192\.0\.2\.51\s+serial 2026010102\s+SRV 10 10 5061/);
  });

  it('comes after the addresses and before the TLS peers, and is absent when no server was asked', () => {
    const output = wide(withServers());
    expect(output.indexOf('Addresses of')).toBeLessThan(output.indexOf('Authoritative servers of'));
    expect(output.indexOf('Authoritative servers of')).toBeLessThan(output.indexOf('TLS peers'));
    expect(wide(cleanPass())).not.toContain('Authoritative servers');
  });
});

describe('human report: wrapping', () => {
  const words = (count: number, word: string): string => Array.from({ length: count }, () => word).join(' ');
  const result = runResult([
    {
      ...cleanPassTarget(),
      findings: [
        finding('cert-eku', 'fail', '192.0.2.10:5061', words(40, 'clientAuth'), { remediation: words(40, 'reissue') }),
        finding('srv-present', 'pass', '_sipfederationtls._tcp.ciscoexample.com', words(40, 'passing')),
      ],
    },
  ]);
  const findings = section(plain(result), 'Findings');

  it('wraps messages and remediations at 100 columns, the fix with a hanging indent', () => {
    expect(findings.every((line) => line.length <= HUMAN_WRAP_COLUMNS)).toBe(true);
    const fix = findings.findIndex((line) => line.startsWith('           Fix: reissue'));
    expect(fix).toBeGreaterThan(1);
    expect(findings[fix + 1]).toMatch(/^ {16}reissue/);
    expect(findings.slice(1, fix).every((line) => line.startsWith('           clientAuth'))).toBe(true);
  });

  it('shows a pass by its check id only, however long its message', () => {
    expect(findings.filter((line) => line.startsWith('    PASS'))).toEqual(['    PASS   1 passed: srv-present']);
  });
});

describe('human report: hostile strings', () => {
  const output = plain(hostileStrings());

  it('lets no control character through: escapes a peer sent are shown, not obeyed', () => {
    for (const text of [wide(hostileStrings()), renderHuman(hostileStrings(), { color: false, verbose: true, width: 200 })]) {
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      expect(text).toContain('server sent "\\x1b[2J\\x1b[HSIP/2.0 200 OK Via: <x>"');
      expect(text).toContain('nope\\x1b[31mRED\\x07\\x00 and \\ud800 lone');
    }
    expect(Buffer.from(output, 'utf8').toString('utf8')).toBe(output);
  });

  it('keeps a certificate name on its row and message lines under their finding', () => {
    expect(output).toContain('CN evil"\\cn <x>  40 days left');
    const findings = section(output, 'Findings');
    expect(findings[0]).toBe("    FAIL   tls-handshake  192.0.2.10:5061 'quoted'=x");
    expect(findings[1]).toBe('           Server said "<b>hello</b>" & \'bye\'');
    expect(findings[2]).toMatch(/^ {11}second line \| not perfdata/);
    expect(findings[3]).toBe('           Fix: Replace <plaintext> listener & "restart" it');
    expect(findings[4]).toBe('                then retry');
  });
});

describe('human report: colour', () => {
  it('has no escape codes at all without colour', () => {
    for (const result of [cleanPass(), twoSrvOutOfNamespace(), dnsErrors(), mixedCertificates(), hostileStrings()]) {
      expect(plain(result)).not.toContain(ESC);
    }
  });

  it('colours statuses by severity with colour on, the words staying the same', () => {
    const output = renderHuman(twoSrvOutOfNamespace(), { color: true });
    expect(output).toContain(`${ESC}[31mFAIL${ESC}[39m`);
    expect(output).toContain(`${ESC}[33mWARN${ESC}[39m`);
    expect(output).toContain(`${ESC}[32mPASS${ESC}[39m`);
    expect(renderHuman(dnsErrors(), { color: true })).toContain(`${ESC}[2mSKIP${ESC}[22m`);
    expect(renderHuman(runResult([microsoft365PartnerTarget()]), { color: true })).toContain(`${ESC}[36mINFO${ESC}[39m`);
    expect(output.replace(/\u001b\[\d+m/g, '')).toBe(plain(twoSrvOutOfNamespace()));
  });
});

describe('human report: a saved result', () => {
  const saved = JSON.parse(
    readFileSync(new URL('./fixtures/replay-ipv6-and-gcc-high.json', import.meta.url), 'utf8'),
  ) as RunResult;
  const output = wide(saved);

  it('follows an SRV name that is an alias and marks every record of a full priority and weight tie', () => {
    const srv = section(output, 'SRV _sipfederationtls._tcp.ciscoexample.com');
    expect(srv[0]).toMatch(/^ {4}CNAME +_sipfederationtls\._tcp\.ciscoexample\.com → sipfed-alias\.ciscoexample\.com +TTL 300$/);
    expect(srv[1]).toContain('may be selected: tied lowest priority (10) and highest weight (50)');
    expect(srv[1]).toMatch(/^ {4}→ +10 +50 +5061 +expe\.ciscoexample\.com/);
    expect(srv.filter((line) => /^ {4}→/.test(line))).toHaveLength(2);
  });

  it('shows IPv6-only peers and a stalled handshake', () => {
    const peers = section(output, 'TLS peers');
    expect(peers[0]).toMatch(/^ {4}\[2001:db8:10::5\]:5061 +TLSv1\.3 +CN expe\.ciscoexample\.com +21 days left +trusted +31 ms$/);
    expect(peers[1]).toBe(
      '    [2001:db8:10::6]:5061  handshake timeout after 4000 ms: no ServerHello within 4000 ms',
    );
    expect(output).toContain('hosted by Microsoft 365 GCC High');
    expect(output).toContain('overall FAIL · 4.2 s');
  });
});

describe('human report: tied SRV records', () => {
  const output = wide(tiedSrvRecords());

  it('marks every tied record and shows each tied target with its addresses and its peers', () => {
    const marked = section(output, 'SRV _sipfederationtls').filter((line) => /^ {4}→/.test(line));
    expect(marked.map((line) => line.split(/ +/)[5])).toEqual(['sip1.ciscoexample.com', 'sip2.ciscoexample.com']);
    expect(output).toMatch(/\n  Addresses of sip1\.ciscoexample\.com: A 192\.0\.2\.10 /);
    expect(output).toMatch(/\n  Addresses of sip2\.ciscoexample\.com: A 192\.0\.2\.20 /);
    expect(section(output, 'TLS peers of sip1.ciscoexample.com')[0]).toMatch(/^ {4}192\.0\.2\.10:5061 /);
    expect(section(output, 'TLS peers of sip2.ciscoexample.com')[0]).toMatch(/^ {4}192\.0\.2\.20:5061 .*expired 3 days ago/);
  });
});

describe('human report: an empty run', () => {
  it('still renders the header and the summary', () => {
    const output = plain(runResult([]));
    expect(output).toMatch(/^PASS {2}no findings in 0 targets\nfedcheck 0\.1\.0 · started 2025-03-01T08:00:00\.000Z · took 1\.2 s\n\nSummary: 0 fail, .* · 0 targets · overall PASS · 1\.2 s\n$/);
  });
});

describe('human renderer: certificate names per local SIP domain', () => {
  const withNameFinding = (domain: string, status: 'pass' | 'warn' | 'fail', match?: 'exact' | 'wildcard') => {
    const base = cleanPassTarget();
    const host = `sip.${domain}`;
    return {
      ...base,
      domain,
      findings: [
        ...base.findings,
        finding('cert-name', status, '192.0.2.10:5061', `cert-name says ${status}`, {
          code: match === 'exact' ? 'cert-name.pass' : match === 'wildcard' ? 'cert-name.wildcard' : 'cert-name.mismatch',
          data: { host, source: 'san', nameCount: 2, names: ['sip.ciscoexample.com', '*.ciscoexample.com'], ...(match ? { match } : {}) },
        }),
      ],
    };
  };
  const section = (result: RunResult) => {
    const output = renderHuman(result, { color: false, width: 200 });
    return output.slice(output.indexOf('Certificate names per local SIP domain'));
  };

  it('lists, for several local domains, which target names the certificate lacks and where', () => {
    const text = section(runResult([withNameFinding('ciscoexample.com', 'pass', 'exact'), withNameFinding('exp.ciscoexample.com', 'fail')]));
    expect(text).toMatch(/ciscoexample\.com\s+sip\.ciscoexample\.com\s+named on 1 of 1 peer\n/);
    expect(text).toMatch(
      /exp\.ciscoexample\.com\s+sip\.ciscoexample\.com\s+MISSING on 192\.0\.2\.10:5061 \(the certificate names sip\.ciscoexample\.com, \*\.ciscoexample\.com\)/,
    );
  });

  it('tells a wildcard-only match from an exact one', () => {
    const text = section(runResult([withNameFinding('ciscoexample.com', 'pass', 'exact'), withNameFinding('exp.ciscoexample.com', 'warn', 'wildcard')]));
    expect(text).toMatch(/exp\.ciscoexample\.com\s+\S+\s+only through a wildcard on 192\.0\.2\.10:5061/);
  });

  it('reads what was matched, not a status a severity override changed', () => {
    const text = section(runResult([withNameFinding('ciscoexample.com', 'pass', 'exact'), withNameFinding('exp.ciscoexample.com', 'warn')]));
    expect(text).toMatch(/exp\.ciscoexample\.com\s+\S+\s+MISSING on 192\.0\.2\.10:5061/);
  });

  it('says in one line that every peer names every target, and tabulates it with --verbose', () => {
    const result = runResult([withNameFinding('ciscoexample.com', 'pass', 'exact'), withNameFinding('exp.ciscoexample.com', 'pass', 'exact')]);
    const output = renderHuman(result, { color: false, width: 200 });
    expect(output).toContain("\nCertificate names: every peer's certificate names the SRV target of both local SIP domains.\n");
    expect(output).not.toContain('Certificate names per local SIP domain');
    const verbose = renderHuman(result, { color: false, width: 200, verbose: true });
    expect(verbose).toMatch(/\n {2}exp\.ciscoexample\.com\s+sip\.ciscoexample\.com\s+named on 1 of 1 peer\n/);
  });

  it('has no such section for a single local domain', () => {
    expect(renderHuman(runResult([withNameFinding('ciscoexample.com', 'pass', 'exact')]), { color: false })).not.toContain(
      'Certificate names per local SIP domain',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The layout's promises, asserted on structure: line counts, the first line, which texts appear.


/** The text with every run of whitespace made one space: what a reader sees across wrapped lines. */
const flat = (text: string): string => text.replace(/\s+/g, ' ').trim();
const printableFlat = (text: string): string => flat(oneLine(text));

describe('human report: structure of every scenario', () => {
  it.each(Object.entries(RENDERER_SCENARIOS))('%s: the verdict first, every problem with its fix, one line per info, pass group and skip reason', (_name, scenario) => {
    const result = scenario();
    const output = plain(result);
    const lines = output.split('\n');
    expect(lines[0]!.startsWith(`${statusWord(result.status)}  `)).toBe(true);
    const findings = result.targets.flatMap((target) => target.findings);
    for (const finding of findings.filter((f) => f.status === 'warn' || f.status === 'fail' || f.status === 'error')) {
      expect(flat(output)).toContain(printableFlat(finding.message));
      if (finding.remediation) expect(flat(output)).toContain(printableFlat(finding.remediation));
    }
    const count = (status: string) => lines.filter((line) => line.startsWith(`    ${status} `)).length;
    expect(count('INFO')).toBe(findings.filter((f) => f.status === 'info').length);
    expect(count('PASS')).toBe(result.targets.filter((target) => target.findings.some((f) => f.status === 'pass')).length);
    const reasons = result.targets.reduce((sum, target) => sum + new Set(target.findings.filter((f) => f.status === 'skip').map((f) => f.message)).size, 0);
    expect(count('SKIP')).toBe(reasons);
    // An info line is one line: the next line starts another finding, heading or target.
    lines.forEach((line, index) => {
      if (line.startsWith('    INFO ')) expect(lines[index + 1]).not.toMatch(/^ {11}\S/);
    });
  });

  it.each(Object.entries(RENDERER_SCENARIOS))('%s: --verbose shows every finding in full', (_name, scenario) => {
    const result = scenario();
    const output = flat(renderHuman(result, { color: false, verbose: true }));
    for (const finding of result.targets.flatMap((target) => target.findings)) {
      expect(output).toContain(printableFlat(finding.message));
      if (finding.remediation) expect(output).toContain(printableFlat(finding.remediation));
    }
    const statusLines = renderHuman(result, { color: false, verbose: true }).split('\n').filter((line) => /^ {4}(PASS|SKIP|INFO|WARN|FAIL|ERROR) /.test(line));
    expect(statusLines).toHaveLength(result.targets.reduce((sum, target) => sum + target.findings.length, 0));
  });

  it.each([40, 60, 80, 120])('keeps every line of every scenario within %i columns', (width) => {
    for (const [name, scenario] of Object.entries(RENDERER_SCENARIOS)) {
      for (const verbose of [false, true]) {
        const long = renderHuman(scenario(), { color: false, width, verbose }).split('\n').filter((line) => line.length > width);
        expect(long, `${name}${verbose ? ' --verbose' : ''}`).toEqual([]);
      }
    }
  });

  it('colours without changing the text or the line breaks', () => {
    for (const scenario of Object.values(RENDERER_SCENARIOS)) {
      expect(renderHuman(scenario(), { color: true, width: 80 }).replace(/\u001b\[\d+m/g, '')).toBe(renderHuman(scenario(), { color: false, width: 80 }));
    }
  });
});

describe('human report: long names wrap at the terminal width', () => {
  // 180 characters in labels of at most 63, as DNS allows; and a long internationalised name.
  const longDomain = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(49)}.example`;
  const idnDomain = 'xn--bcher-kva-sehr-lange-internationalisierte-domain-fr-sip-foderation-9nb.example';
  const result = (domain: string) => {
    const host = `sip.${domain}`;
    return runResult([
      target(domain, 'local', {
        dns: [srvQuery(domain, [srv(10, 100, 5061, host)]), addressQuery(host, 'A', ['192.0.2.10'])],
        tls: [peerProbe(host, '192.0.2.10', { chain: [certificate(host, { daysLeft: 5 })] })],
        findings: [
          finding('srv-target-namespace', 'pass', host, `${host} is in ${domain}.`),
          finding('cert-validity', 'fail', '192.0.2.10:5061', `The certificate for ${host} expires in 5 days.`, { remediation: `Renew the certificate for ${host}.` }),
          finding('srv-single', 'info', sipFederationSrvName(domain), `${sipFederationSrvName(domain)} has one record.`),
        ],
      }),
    ]);
  };

  it.each([
    ['a 180-character name', longDomain],
    ['a long IDN', idnDomain],
  ])('%s: no line is wider than the terminal, and the name can still be read in full', (_label, domain) => {
    for (const width of [60, 80, 120]) {
      const output = renderHuman(result(domain), { color: false, width });
      expect(output.split('\n').filter((line) => line.length > width)).toEqual([]);
      // A name longer than a line is split across lines, never cut.
      expect(output.replace(/\s+/g, '')).toContain(`sip.${domain}`);
      expect(flat(output)).toContain(`Renew the certificate for`);
    }
  });
});

describe('human report: which resolver answered', () => {
  const SECOND = '198.51.100.53:53';
  const host = 'sip.ciscoexample.com';
  const withResolvers = (srvQueries: ReturnType<typeof srvQuery>[]): RunResult => {
    const base = cleanPassTarget();
    const observations = {
      ...base.observations,
      resolvers: [RESOLVER, SECOND],
      dns: [...srvQueries, addressQuery(host, 'A', ['192.0.2.10'], { resolver: SECOND }), failedQuery(host, 'AAAA', 'nodata', { resolver: SECOND })],
    };
    return runResult([{ ...base, observations }], { resolvers: [RESOLVER, SECOND] });
  };

  it('shows each resolver asked and what it said, marking the answer the run used and that they disagree', () => {
    const output = wide(
      withResolvers([
        failedQuery(sipFederationSrvName('ciscoexample.com'), 'SRV', 'servfail'),
        srvQuery('ciscoexample.com', [srv(10, 100, 5061, host)], { resolver: SECOND }),
      ]),
    );
    expect(output).toContain(`SRV _sipfederationtls._tcp.ciscoexample.com (${SECOND}, 12 ms)`);
    const answers = section(output, 'Answers per resolver');
    expect(answers[0]).toBe('    _sipfederationtls._tcp.ciscoexample.com SRV (the resolvers disagree)');
    expect(answers[1]).toMatch(new RegExp(`^ {6} +${RESOLVER.replace(/\./g, '\\.')} +SERVFAIL$`));
    expect(answers[2]).toMatch(new RegExp(`^ {6}→ +${SECOND.replace(/\./g, '\\.')} +10 100 5061 ${host.replace(/\./g, '\\.')}$`));
  });

  it('says when several resolvers gave the same answer', () => {
    const output = wide(
      withResolvers([
        srvQuery('ciscoexample.com', [srv(10, 100, 5061, host, 300)]),
        srvQuery('ciscoexample.com', [srv(10, 100, 5061, host)], { resolver: SECOND }),
      ]),
    );
    expect(section(output, 'Answers per resolver')[0]).toBe('    _sipfederationtls._tcp.ciscoexample.com SRV (the resolvers agree)');
  });

  it('names the resolver of every address row when several are configured, and has no such section with one', () => {
    const output = wide(withResolvers([srvQuery('ciscoexample.com', [srv(10, 100, 5061, host)])]));
    expect(section(output, 'Addresses of sip.ciscoexample.com')[0]).toMatch(new RegExp(`^ {4}A +192\\.0\\.2\\.10 +TTL 300 +from ${SECOND.replace(/\./g, '\\.')}$`));
    expect(output).not.toContain('Answers per resolver');
    expect(plain(cleanPass())).not.toContain(' from ');
  });
});

describe('human report: a domain without an SRV record', () => {
  const domain = 'ciscoexample.com';
  const srvName = sipFederationSrvName(domain);
  const waitingChecks = [
    'srv-available', 'srv-single', 'srv-port', 'srv-target-namespace', 'srv-target-alias', 'srv-target-address', 'srv-target-peers',
    'tls-connect', 'tls-handshake', 'tls-version', 'tls-ciphers', 'cert-trust', 'cert-validity', 'cert-name', 'cert-eku', 'cert-key',
    'cert-signature', 'cert-revocation', 'cert-consistent', 'tls-client-auth',
  ];
  const reason = `Not checked: ${srvName} does not exist (NXDOMAIN) at ${RESOLVER}, so there is no SRV record to judge (see srv-present).`;
  const result = runResult([
    target(domain, 'local', {
      dns: [failedQuery(srvName, 'SRV', 'nxdomain')],
      tls: [],
      findings: [
        finding(
          'srv-present',
          'fail',
          srvName,
          `${srvName} does not exist (NXDOMAIN) at ${RESOLVER}. Microsoft edges cannot find where to send SIP federation traffic for ${domain} and reject messages to its users with ms-diagnostics: 1008;reason="Unable to resolve DNS SRV record".`,
          { remediation: `Create "${srvName}. 3600 IN SRV 10 10 5061 sip.${domain}." pointing at your Expressway-E cluster FQDN (sip.${domain} here: a name directly in ${domain}, with one A/AAAA record for each Expressway-E peer).` },
        ),
        ...waitingChecks.map((check) => finding(check, 'skip', srvName, reason)),
      ],
    }),
  ]);

  it.each([100, 120])('fits in 20 lines at %i columns, the skips in one line that says what they wait on', (width) => {
    const lines = renderHuman(result, { color: false, width }).trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(20);
    expect(lines[0]).toBe('FAIL  1 fail, 20 skip in 1 target');
    const skips = lines.filter((line) => line.startsWith('    SKIP '));
    expect(skips).toHaveLength(1);
    expect(skips[0]).toMatch(/^ {4}SKIP {3}20 checks not run: /);
    expect(flat(lines.join('\n'))).toContain(flat(reason.replace('Not checked: ', '')));
  });
});

// The real binary: the demo and a lab domain without an SRV record, read at 120 columns.
describe('human report of the real binary at 120 columns', () => {
  const COLUMNS = { COLUMNS: '120' };

  it('prints the demo in about 140 lines, verdict first, with every fix', async () => {
    const saved = temporaryPath('demo.json');
    const demo = await runFedcheck(['demo', '--json', '--output', saved], { killAfterMs: 60_000 });
    expect(demo.code, demo.stderr).toBe(0);
    const result = resultFromDocument(JSON.parse(readFileSync(saved, 'utf8')) as SavedDocument);
    // The same result rendered for a person: --replay re-judges it at its own clock.
    const run = await runFedcheck(['--replay', saved], { env: COLUMNS });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(150);
    expect(lines.every((line) => line.length <= 120)).toBe(true);
    expect(lines[0]!.startsWith(`${statusWord(result.status)}  `)).toBe(true);
    const findings = result.targets.flatMap((target) => target.findings);
    for (const finding of findings.filter((f) => f.status === 'warn' || f.status === 'fail')) {
      expect(flat(run.stdout)).toContain(printableFlat(finding.remediation ?? ''));
    }
    expect(lines.filter((line) => line.startsWith('    INFO ')).length).toBe(findings.filter((f) => f.status === 'info').length);
    expect(lines.filter((line) => line.startsWith('    PASS ')).length).toBe(result.targets.length);
    // --verbose is today's report: every finding in full.
    const verbose = await runFedcheck(['--replay', saved, '--verbose'], { env: COLUMNS });
    // The JSON keeps what a passing finding says only in its observations: --replay says it again.
    for (const finding of findings.filter((f) => f.status !== 'pass')) expect(flat(verbose.stdout)).toContain(printableFlat(finding.message));
    const passes = findings.filter((f) => f.status === 'pass').length;
    expect(verbose.stdout.split('\n').filter((line) => line.startsWith('    PASS ')).length).toBe(passes);
  }, 90_000);

  it('prints a domain without an SRV record in at most 20 lines', async () => {
    const scenario = JSON.parse(readFileSync(fixturesPath('scenarios', 'dns-no-srv.json'), 'utf8')) as LabSpec & { args: string[] };
    const lab = await startLab(scenario);
    try {
      const run = await runFedcheck([...scenario.args, '--resolver', lab.resolverArgument], { env: COLUMNS });
      expect(run.code, run.stderr).toBe(2);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines.length).toBeLessThanOrEqual(20);
      expect(lines[0]).toMatch(/^FAIL {2}1 fail, \d+ skip in 1 target$/);
      expect(lines.filter((line) => line.startsWith('    SKIP '))).toHaveLength(1);
    } finally {
      await lab.close();
    }
  }, 60_000);
});
