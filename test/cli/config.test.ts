import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS, declaredCodes } from '../../src/checks/index.js';
import { DEFAULT_CONFIG_FILE, closestName, editDistance, findDefaultConfig, loadConfig } from '../../src/cli/config.js';
import { UsageError } from '../../src/cli/input.js';
import { createPki } from '../../src/lab/pki.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/config/', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../examples/fedcheck.config.json', import.meta.url));
const CA_PEM = readFileSync(join(FIXTURES, 'ca.pem'), 'utf8');
const CLIENT = (await createPki()).issueLeaf({ commonName: 'expe.ciscoexample.com', sans: ['expe.ciscoexample.com'] });
const CLIENT_PEM = CLIENT.certPem;
const KEY_PEM = CLIENT.keyPem;
const OTHER_KEY_PEM = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

const base = mkdtempSync(join(tmpdir(), 'fedcheck-config-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A fresh folder holding the config (and any side files), so relative paths are unambiguous. */
function deployment(config: string, sideFiles: Record<string, string> = {}): string {
  const folder = mkdtempSync(join(base, 'deployment-'));
  for (const [name, content] of Object.entries(sideFiles)) {
    mkdirSync(join(folder, name, '..'), { recursive: true });
    writeFileSync(join(folder, name), content);
  }
  const file = join(folder, DEFAULT_CONFIG_FILE);
  writeFileSync(file, config);
  return file;
}

function configError(file: string): UsageError {
  try {
    loadConfig(file);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error(`${file} loaded without an error`);
}

function expectRejected(config: string, message: RegExp | string, sideFiles: Record<string, string> = {}): void {
  const file = deployment(config, sideFiles);
  const error = configError(file);
  expect(error.message.startsWith(`${file}: `)).toBe(true);
  expect(error.message).not.toContain('\n');
  if (typeof message === 'string') expect(error.message).toBe(`${file}: ${message}`);
  else expect(error.message).toMatch(message);
}

describe('loadConfig: a complete, valid file', () => {
  it('validates and normalises every key', () => {
    const file = deployment(
      JSON.stringify({
        $schema: 'https://example.invalid/fedcheck.schema.json',
        $comment: 'ignored',
        domains: ['CiscoExample.COM.', 'bücher.example'],
        domainsFile: 'lists/domains.txt',
        partners: ['Contoso.com', 'fabrikam.com', 'contoso.com'],
        resolvers: ['203.0.113.53', '198.51.100.53:5353', '[2001:db8::53]:54', '2001:db8::35'],
        internalResolvers: ['10.1.1.53'],
        imp: { fqdn: 'IMP1-public.ciscoexample.com', port: 5063, publisher: 'ImpPub.ciscoexample.com' },
        ca: ['pki/ca.pem', 'pki/two.pem'],
        clientCertificate: { cert: 'pki/client.pem', key: 'pki/client.key' },
        timeoutMs: 15000,
        warnDays: 45,
        critDays: 7,
        concurrency: 8,
        sipOptions: true,
        strict: false,
        format: 'nagios',
        output: 'out/report.txt',
        checks: { 'srv-port': 'info', 'cert-crl': 'off', 'srv-single': 'fail', 'cert-eku': 'warn' },
      }),
      {
        'lists/domains.txt': '# more\nexp.ciscoexample.com\nciscoexample.com\n',
        'pki/ca.pem': CA_PEM,
        'pki/two.pem': `${CA_PEM}\n${CA_PEM}`,
        'pki/client.pem': CLIENT_PEM,
        'pki/client.key': KEY_PEM,
      },
    );
    const folder = join(file, '..');
    expect(loadConfig(file)).toEqual({
      file,
      domains: ['ciscoexample.com', 'xn--bcher-kva.example', 'exp.ciscoexample.com'],
      partners: ['contoso.com', 'fabrikam.com'],
      resolvers: [
        { host: '203.0.113.53', port: 53 },
        { host: '198.51.100.53', port: 5353 },
        { host: '2001:db8::53', port: 54 },
        { host: '2001:db8::35', port: 53 },
      ],
      internalResolvers: [{ host: '10.1.1.53', port: 53 }],
      imp: { fqdn: 'imp1-public.ciscoexample.com', port: 5063, publisher: 'imppub.ciscoexample.com' },
      caFiles: [join(folder, 'pki/ca.pem'), join(folder, 'pki/two.pem')],
      caCertificates: [CA_PEM.trim(), CA_PEM.trim(), CA_PEM.trim()],
      clientCertificate: { certFile: join(folder, 'pki/client.pem'), certPem: CLIENT_PEM, keyPem: KEY_PEM },
      timeoutMs: 15000,
      warnDays: 45,
      critDays: 7,
      concurrency: 8,
      sipOptions: true,
      strict: false,
      format: 'nagios',
      output: join(folder, 'out/report.txt'),
      checkOverrides: { 'srv-port': 'info', 'cert-crl': 'off', 'srv-single': 'fail', 'cert-eku': 'warn' },
    });
  });

  it('leaves out every key the file does not set, so the command line and defaults can fill them', () => {
    const file = deployment('{}');
    expect(loadConfig(file)).toEqual({ file });
  });

  it('keeps empty lists as given (an empty resolver list means the system resolvers)', () => {
    const file = deployment('{"domains": [], "resolvers": [], "checks": {}}');
    expect(loadConfig(file)).toEqual({ file, domains: [], resolvers: [], checkOverrides: {} });
  });

  it('accepts the bounds of every number', () => {
    const low = deployment('{"timeoutMs": 100, "warnDays": 0, "critDays": 0, "concurrency": 1, "imp": {"fqdn": "a.example", "port": 1}}');
    expect(loadConfig(low)).toMatchObject({ timeoutMs: 100, warnDays: 0, critDays: 0, concurrency: 1, imp: { fqdn: 'a.example', port: 1 } });
    const high = deployment('{"timeoutMs": 3600000, "warnDays": 3650, "critDays": 3650, "concurrency": 1024, "imp": {"fqdn": "a.example", "port": 65535}}');
    expect(loadConfig(high)).toMatchObject({ timeoutMs: 3_600_000, warnDays: 3650, critDays: 3650, concurrency: 1024, imp: { port: 65535 } });
  });

  it('leaves imp.port unset when the file does not give it', () => {
    const file = deployment('{"imp": {"fqdn": "IMP1-public.ciscoexample.com"}}');
    expect(loadConfig(file).imp).toEqual({ fqdn: 'imp1-public.ciscoexample.com' });
  });

  it('accepts every check id and every severity', () => {
    const severities = ['off', 'info', 'warn', 'fail'] as const;
    const checks = Object.fromEntries(ALL_CHECKS.map((check, index) => [check.meta.id, severities[index % 4]]));
    const file = deployment(JSON.stringify({ checks }));
    expect(loadConfig(file).checkOverrides).toEqual(checks);
  });

  it('accepts every finding code as a key, beside check ids', () => {
    const codes = ALL_CHECKS.flatMap((check) => declaredCodes(check).map(({ code }) => code));
    const checks = Object.fromEntries(codes.map((code) => [code, 'info']));
    const file = deployment(JSON.stringify({ checks: { ...checks, 'srv-single': 'fail' } }));
    expect(loadConfig(file).checkOverrides).toEqual({ ...checks, 'srv-single': 'fail' });
  });

  it('accepts the other format names and warnDays equal to critDays', () => {
    for (const format of ['human', 'json', 'junit', 'prometheus', 'html']) {
      expect(loadConfig(deployment(JSON.stringify({ format }))).format).toBe(format);
    }
    expect(loadConfig(deployment('{"warnDays": 20, "critDays": 20}'))).toMatchObject({ warnDays: 20, critDays: 20 });
  });

  it('gives an absolute file even when loaded through a relative path', () => {
    const file = deployment('{"strict": true}');
    const loaded = loadConfig(relative(process.cwd(), file));
    expect(loaded).toEqual({ file, strict: true });
  });
});

describe('loadConfig: relative paths', () => {
  it('resolve against the config file folder, not the working directory', () => {
    const fixture = join(FIXTURES, 'deployment.json');
    const shown = relative(process.cwd(), fixture);
    expect(isAbsolute(shown)).toBe(false);
    const loaded = loadConfig(shown);
    expect(loaded.file).toBe(fixture);
    expect(loaded.domains).toEqual(['ciscoexample.com', 'exp.ciscoexample.com', 'emea.ciscoexample.com']);
    expect(loaded.caFiles).toEqual([join(FIXTURES, 'ca.pem')]);
    expect(loaded.caCertificates).toEqual([CA_PEM.trim()]);
    expect(loaded.output).toBe(join(FIXTURES, 'reports/ciscoexample.json'));
  });

  it('keep absolute paths as they are', () => {
    const file = deployment(JSON.stringify({ ca: [join(FIXTURES, 'ca.pem')], output: '/var/tmp/fedcheck.json' }));
    expect(loadConfig(file)).toMatchObject({ caFiles: [join(FIXTURES, 'ca.pem')], output: '/var/tmp/fedcheck.json' });
  });
});

describe('loadConfig: the annotated example', () => {
  it('loads, with its comments, trailing commas and the internal CA beside it', () => {
    const file = deployment(readFileSync(EXAMPLE, 'utf8'));
    copyFileSync(join(FIXTURES, 'ca.pem'), join(file, '..', 'ciscoexample-internal-ca.pem'));
    expect(loadConfig(file)).toEqual({
      file,
      domains: ['ciscoexample.com', 'exp.ciscoexample.com'],
      partners: ['contoso.com', 'fabrikam.com'],
      resolvers: [
        { host: '203.0.113.53', port: 53 },
        { host: '198.51.100.53', port: 53 },
      ],
      internalResolvers: [{ host: '10.1.1.53', port: 53 }],
      imp: { fqdn: 'imp1-public.ciscoexample.com', port: 5062, publisher: 'imppub.ciscoexample.com' },
      caFiles: [join(file, '..', 'ciscoexample-internal-ca.pem')],
      caCertificates: [CA_PEM.trim()],
      timeoutMs: 15000,
      warnDays: 45,
      critDays: 14,
      concurrency: 8,
      sipOptions: true,
      strict: false,
      format: 'nagios',
      checkOverrides: { 'srv-port': 'info' },
    });
  });
});

describe('loadConfig: wrong values name the file, the key and what was expected', () => {
  it.each([
    ['{"domains": "ciscoexample.com"}', '"domains" must be a list of domain names, got "ciscoexample.com"'],
    ['{"domains": {"a": 1}}', '"domains" must be a list of domain names, got an object'],
    ['{"domains": ["ciscoexample.com", 3]}', '"domains[1]" must be a domain name (a string), got 3'],
    ['{"domains": ["a..b"]}', /"domains\[0\]" "a\.\.b" has an empty label$/],
    ['{"domains": ["sip:ciscoexample.com"]}', /"domains\[0\]" .* is a URI/],
    ['{"domains": [""]}', '"domains[0]" is empty'],
    ['{"domainsFile": 3}', '"domainsFile" must be a file path (a non-empty string), got 3'],
    ['{"domainsFile": ""}', '"domainsFile" must be a file path (a non-empty string), got ""'],
    ['{"domainsFile": ["a.txt"]}', '"domainsFile" must be a file path (a non-empty string), got a list'],
    ['{"partners": null}', '"partners" must be a list of domain names, got null'],
    ['{"partners": ["user@contoso.com"]}', /"partners\[0\]" "user@contoso.com" is an address/],
    ['{"resolvers": "192.0.2.1"}', '"resolvers" must be a list of "ip[:port]" strings, got "192.0.2.1"'],
    ['{"resolvers": ["dns.example.com"]}', /"resolvers\[0\]" "dns.example.com": not an IP address/],
    ['{"resolvers": ["192.0.2.1:70000"]}', /"resolvers\[0\]" "192.0.2.1:70000": the port must be between 1 and 65535/],
    ['{"resolvers": [53]}', '"resolvers[0]" must be a resolver address "ip[:port]" (a string), got 53'],
    ['{"internalResolvers": ["10.1.1.53", null]}', '"internalResolvers[1]" must be a resolver address "ip[:port]" (a string), got null'],
    ['{"internalResolvers": ["10.1.1.53:dns"]}', '"internalResolvers[0]" "10.1.1.53:dns": the port is not a number'],
    ['{"imp": "IMP1-public.ciscoexample.com"}', '"imp" must be an object { "fqdn": …, "port": …, "publisher": … }, got "IMP1-public.ciscoexample.com"'],
    ['{"imp": ["a.example"]}', /"imp" must be an object .* got a list$/],
    ['{"imp": {}}', /"imp.fqdn" is missing/],
    ['{"imp": {"port": 5062}}', /"imp.fqdn" is missing/],
    ['{"imp": {"fqdn": 42}}', '"imp.fqdn" must be a domain name (a string), got 42'],
    ['{"imp": {"fqdn": "imp1"}}', /"imp.fqdn" "imp1" needs at least two labels/],
    ['{"imp": {"fqdn": "a.example", "port": "abc"}}', '"imp.port" must be a whole number between 1 and 65535, got "abc"'],
    ['{"imp": {"fqdn": "a.example", "port": "5062"}}', '"imp.port" must be a whole number between 1 and 65535, got "5062"'],
    ['{"imp": {"fqdn": "a.example", "port": 0}}', '"imp.port" must be a whole number between 1 and 65535, got 0'],
    ['{"imp": {"fqdn": "a.example", "port": 65536}}', '"imp.port" must be a whole number between 1 and 65535, got 65536'],
    ['{"imp": {"fqdn": "a.example", "port": 5062.5}}', '"imp.port" must be a whole number between 1 and 65535, got 5062.5'],
    ['{"imp": {"fqdn": "a.example", "publisher": false}}', '"imp.publisher" must be a domain name (a string), got false'],
    ['{"imp": {"fqdn": "a.example", "publisher": "pub"}}', /"imp.publisher" "pub" needs at least two labels/],
    ['{"ca": "ca.pem"}', '"ca" must be a list of PEM file paths, got "ca.pem"'],
    ['{"ca": [""]}', '"ca[0]" must be a file path (a non-empty string), got ""'],
    ['{"ca": [7]}', '"ca[0]" must be a file path (a non-empty string), got 7'],
    ['{"clientCertificate": "client.pem"}', /"clientCertificate" must be an object \{ "cert": "<PEM file>", "key": "<PEM file>" \}, got "client.pem"/],
    ['{"clientCertificate": {"cert": "c.pem"}}', /"clientCertificate.key" is missing/],
    ['{"clientCertificate": {"key": "c.key"}}', /"clientCertificate.cert" is missing/],
    ['{"clientCertificate": {"cert": 1, "key": "c.key"}}', '"clientCertificate.cert" must be a file path (a non-empty string), got 1'],
    ['{"timeoutMs": 99}', '"timeoutMs" must be a whole number between 100 and 3600000, got 99'],
    ['{"timeoutMs": 3600001}', '"timeoutMs" must be a whole number between 100 and 3600000, got 3600001'],
    ['{"timeoutMs": "10000"}', '"timeoutMs" must be a whole number between 100 and 3600000, got "10000"'],
    ['{"timeoutMs": 1e400}', '"timeoutMs" must be a whole number between 100 and 3600000, got Infinity'],
    ['{"warnDays": -1}', '"warnDays" must be a whole number between 0 and 3650, got -1'],
    ['{"warnDays": 3651}', '"warnDays" must be a whole number between 0 and 3650, got 3651'],
    ['{"warnDays": true}', '"warnDays" must be a whole number between 0 and 3650, got true'],
    ['{"critDays": "14"}', '"critDays" must be a whole number between 0 and 3650, got "14"'],
    ['{"critDays": 1.5}', '"critDays" must be a whole number between 0 and 3650, got 1.5'],
    ['{"warnDays": 10, "critDays": 20}', '"warnDays" (10) must not be less than "critDays" (20)'],
    ['{"concurrency": 0}', '"concurrency" must be a whole number between 1 and 1024, got 0'],
    ['{"concurrency": 1025}', '"concurrency" must be a whole number between 1 and 1024, got 1025'],
    ['{"concurrency": null}', '"concurrency" must be a whole number between 1 and 1024, got null'],
    ['{"sipOptions": "yes"}', '"sipOptions" must be true or false, got "yes"'],
    ['{"strict": 1}', '"strict" must be true or false, got 1'],
    ['{"format": "xml"}', '"format" must be one of "human", "json", "junit", "nagios", "prometheus", "html", got "xml"'],
    ['{"format": ["json"]}', '"format" must be one of "human", "json", "junit", "nagios", "prometheus", "html", got a list'],
    ['{"output": ""}', '"output" must be a file path (a non-empty string), got ""'],
    ['{"output": 5}', '"output" must be a file path (a non-empty string), got 5'],
    ['{"checks": ["cert-eku"]}', '"checks" must be an object { "<check-id>": "off" | "info" | "warn" | "fail" }, got a list'],
    ['{"checks": {"cert-eku": "error"}}', '"checks.cert-eku" must be one of "off", "info", "warn", "fail", got "error"'],
    ['{"checks": {"cert-eku": null}}', '"checks.cert-eku" must be one of "off", "info", "warn", "fail", got null'],
    ['{"checks": {"cert-eku": "WARN"}}', '"checks.cert-eku" must be one of "off", "info", "warn", "fail", got "WARN"'],
  ])('%s', (config, message) => {
    expectRejected(config, message);
  });

  it('shortens a long wrong value', () => {
    const file = deployment(JSON.stringify({ format: 'x'.repeat(500) }));
    const error = configError(file);
    expect(error.message).toMatch(/got "x+…"$/);
    expect(error.message.length).toBeLessThan(file.length + 200);
  });
});

describe('loadConfig: unknown keys and check ids', () => {
  it.each([
    ['{"resolver": ["192.0.2.53"]}', 'unknown key "resolver" (did you mean "resolvers"?)'],
    ['{"warn-days": 30}', 'unknown key "warn-days" (did you mean "warnDays"?)'],
    ['{"internal_resolvers": []}', 'unknown key "internal_resolvers" (did you mean "internalResolvers"?)'],
    ['{"timeout": 1000}', 'unknown key "timeout" (did you mean "timeoutMs"?)'],
    ['{"Domains": []}', 'unknown key "Domains" (did you mean "domains"?)'],
    ['{"imp": {"fqdn": "a.example", "prot": 5062}}', 'unknown key "imp.prot" (did you mean "imp.port"?)'],
    ['{"imp": {"fqdn": "a.example", "region": "emea"}}', 'unknown key "imp.region" (the keys of "imp" are fqdn, port, publisher)'],
    ['{"clientCertificate": {"cert": "c.pem", "key": "c.key", "keys": "x"}}', 'unknown key "clientCertificate.keys" (did you mean "clientCertificate.key"?)'],
    [
      '{"clientCertificate": {"cert": "c.pem", "key": "c.key", "passphrase": "x"}}',
      'unknown key "clientCertificate.passphrase" (the keys of "clientCertificate" are cert, key)',
    ],
    ['{"checks": {"cert-ekus": "off"}}', 'unknown check id "cert-ekus" in "checks" (did you mean "cert-eku"? fedcheck explain lists the check ids and their codes)'],
    ['{"checks": {"TLS_Version": "off"}}', 'unknown check id "TLS_Version" in "checks" (did you mean "tls-version"? fedcheck explain lists the check ids and their codes)'],
    ['{"checks": {"srv-target-namespace.deepr": "off"}}', 'unknown finding code "srv-target-namespace.deepr" in "checks" (did you mean "srv-target-namespace.deeper"? fedcheck explain lists the check ids and their codes)'],
    ['{"checks": {"everything": "off"}}', 'unknown check id "everything" in "checks" (fedcheck explain lists the check ids and their codes)'],
    ['{"__proto__": {"strict": true}}', /unknown key "__proto__" \(known keys: domains, resolvers, /],
  ])('%s', (config, message) => {
    expectRejected(config, message);
  });

  it('lists the known keys when nothing is close', () => {
    expectRejected(
      '{"frobnicate": 1}',
      'unknown key "frobnicate" (known keys: domains, resolvers, partners, domainsFile, internalResolvers, imp, sipOptions, revocation, ca, clientCertificate, timeoutMs, warnDays, critDays, concurrency, format, output, strict, checks, modules, serve, $schema, $comment)',
    );
  });

  it('rejects $comment inside nested objects (only the top level ignores it)', () => {
    expectRejected('{"imp": {"fqdn": "a.example", "$comment": "x"}}', /unknown key "imp.\$comment"/);
  });
});

describe('loadConfig: the document itself', () => {
  it.each([
    ['[]', 'the file must hold one JSON object such as { "domains": ["ciscoexample.com"] }, got a list'],
    ['"ciscoexample.com"', 'the file must hold one JSON object such as { "domains": ["ciscoexample.com"] }, got "ciscoexample.com"'],
    ['null', 'the file must hold one JSON object such as { "domains": ["ciscoexample.com"] }, got null'],
    ['', "invalid JSON at line 1, column 1: expected a value, found the end of the file"],
    ['// only a comment\n', 'invalid JSON at line 2, column 1: expected a value, found the end of the file'],
    ['{\n  "domains": ["ciscoexample.com"]\n  "strict": true\n}', "invalid JSON at line 3, column 3: expected ',' or '}' after a property value, found '\"'"],
    ['{\n  "imp": {\n    "fqdn": "a.example",\n    "port": 50 62\n  }\n}', "invalid JSON at line 4, column 16: expected ',' or '}' after a property value, found '6'"],
    ['{\n  "domains": [ciscoexample.com]\n}', /^.*: invalid JSON at line 2, column 15: expected a value, found "ciscoexample" \(text needs double quotes/],
    ["{'domains': []}", /invalid JSON at line 1, column 2: expected a property name in double quotes, found ' \(strings and property names need double quotes\)$/],
    ['{"strict": true,,}', "invalid JSON at line 1, column 17: expected a property name in double quotes, found ','"],
    ['{"domains": [,]}', "invalid JSON at line 1, column 14: expected a value, found ','"],
    ['{"strict": }', "invalid JSON at line 1, column 12: expected a value, found '}'"],
    ['{"strict": true} {}', "invalid JSON at line 1, column 18: expected the end of the file after the JSON value, found '{'"],
    ['{"output": "report\n.json"}', 'invalid JSON at line 1, column 12: string is not closed before the end of the line'],
    ['{"output": "report.json', 'invalid JSON at line 1, column 12: string is never closed (missing ")'],
    ['{"output": "c:\\data"}', /invalid JSON at line 1, column 15: invalid escape "\\\\d" \(a literal backslash is written \\\\\)$/],
    ['{\n  "strict": true /* unfinished\n}', 'invalid JSON at line 2, column 18: expected \',\' or \'}\' after a property value, found a comment that is never closed (missing */)'],
    ['{"timeoutMs": 01000}', 'invalid JSON at line 1, column 15: invalid number'],
    ['{"strict": tru}', /invalid JSON at line 1, column 12: expected a value, found "tru"/],
    ['{"domains": ["a.example"]}\u00a0', 'invalid JSON at line 1, column 27: expected the end of the file after the JSON value, found U+00A0'],
    ['{\n  "strict": true,\n  "strict": false\n}', 'key "strict" appears twice (line 2, column 3 and line 3, column 3); JSON would silently keep only the last'],
    ['{"imp": {"fqdn": "a.example", "fqdn": "b.example"}}', /key "imp.fqdn" appears twice \(line 1, column 10 and line 1, column 31\)/],
  ])('%j', (config, message) => {
    expectRejected(config, message);
  });

  it('counts CRLF line ends once', () => {
    expectRejected('{\r\n  "strict": true\r\n  "sipOptions": true\r\n}', /invalid JSON at line 3, column 3: /);
  });

  it('ignores a byte order mark', () => {
    const file = deployment('\uFEFF{"strict": true}');
    expect(loadConfig(file)).toEqual({ file, strict: true });
  });

  it('survives absurd nesting without a stack overflow', () => {
    expectRejected(`{"domains": ${'['.repeat(100_000)}`, /invalid JSON at line 1, column \d+: nested more than 64 levels deep/);
  });
});

describe('loadConfig: files it refers to', () => {
  it('reports a config file that cannot be read, without the file prefix twice', () => {
    const missing = join(base, 'no-such-folder', DEFAULT_CONFIG_FILE);
    expect(configError(missing).message).toBe(`cannot read config file ${missing}: no such file`);
    expect(configError(base).message).toBe(`cannot read config file ${base}: it is a directory`);
  });

  it('names the key of a missing or malformed side file', () => {
    expectRejected('{"domainsFile": "domains.txt"}', /: "domainsFile": cannot read domains file .*domains\.txt: no such file$/);
    expectRejected('{"domainsFile": "domains.txt"}', /: "domainsFile": .*domains\.txt: line 2: domain "not a domain" contains white space$/, {
      'domains.txt': 'ok.example\nnot a domain\n',
    });
    expectRejected('{"ca": ["ca.pem", "missing.pem"]}', /: "ca\[1\]": cannot read CA file .*missing\.pem: no such file$/, { 'ca.pem': CA_PEM });
    expectRejected('{"ca": ["notes.txt"]}', /: "ca\[0\]": CA file .*notes\.txt holds no PEM certificate/, { 'notes.txt': 'hello\n' });
    expectRejected('{"clientCertificate": {"cert": "c.pem", "key": "c.key"}}', /: "clientCertificate.cert": cannot read certificate file .*c\.pem: no such file$/);
    expectRejected('{"clientCertificate": {"cert": "c.pem", "key": "c.key"}}', /: "clientCertificate.key": cannot read key file .*c\.key: no such file$/, {
      'c.pem': CA_PEM,
    });
    expectRejected('{"clientCertificate": {"cert": "c.pem", "key": "c.key"}}', /: "clientCertificate.cert": .*c\.pem holds no PEM certificate/, {
      'c.pem': KEY_PEM,
      'c.key': KEY_PEM,
    });
    expectRejected('{"clientCertificate": {"cert": "c.pem", "key": "c.key"}}', /: "clientCertificate.key": .*c\.key holds no PEM private key/, {
      'c.pem': CA_PEM,
      'c.key': CA_PEM,
    });
    expectRejected('{"clientCertificate": {"cert": "c.pem", "key": "c.key"}}', /: "clientCertificate": key file .*c\.key is not the private key of certificate file .*c\.pem$/, {
      'c.pem': CLIENT_PEM,
      'c.key': OTHER_KEY_PEM,
    });
    expectRejected('{"ca": ["bad.pem"]}', /: "ca\[0\]": CA file .*bad\.pem: certificate 1 is not a valid X\.509 certificate/, {
      'bad.pem': '-----BEGIN CERTIFICATE-----\nAAAAbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n',
    });
  });
});

describe('findDefaultConfig', () => {
  it('finds fedcheck.config.json in the folder, as an absolute path', () => {
    const file = deployment('{}');
    const folder = join(file, '..');
    expect(findDefaultConfig(folder)).toBe(file);
    expect(findDefaultConfig(relative(process.cwd(), folder))).toBe(file);
  });

  it('finds nothing when the folder has no config', () => {
    expect(findDefaultConfig(mkdtempSync(join(base, 'empty-')))).toBeUndefined();
  });
});

describe('closestName and editDistance', () => {
  it('measures edits', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('resolver', 'resolvers')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
  });

  it('suggests only plausible typos', () => {
    const keys = ['domains', 'partners', 'ca', 'timeoutMs'];
    expect(closestName('partner', keys)).toBe('partners');
    expect(closestName('TIMEOUT_MS', keys)).toBe('timeoutMs');
    expect(closestName('cas', keys)).toBe('ca');
    expect(closestName('zzz', keys)).toBeUndefined();
    expect(closestName('anything', [])).toBeUndefined();
  });
});
