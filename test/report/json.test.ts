import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, STATUSES, type RunResult } from '../../src/model/findings.js';
import { DocumentError, jsonChunks, renderJson, resultFromDocument } from '../../src/report/json.js';
import {
  RENDERER_SCENARIOS,
  cleanPass,
  everyOptionalField,
  hostileStrings,
  mixedCertificates,
  threeDomains,
  twoSrvOutOfNamespace,
} from './results.js';
import { resultValidator, describeErrors, isDateTime, loadResultSchema } from './schema.js';

const validate = resultValidator();


const FIXTURES_DIR = new URL('./fixtures/', import.meta.url);

function fixtures(): Array<[string, unknown]> {
  return readdirSync(FIXTURES_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => [file, JSON.parse(readFileSync(new URL(file, FIXTURES_DIR), 'utf8')) as unknown]);
}

/** A rendered document, parsed back, so a test can break it on purpose. */
function document(): any {
  return JSON.parse(renderJson(mixedCertificates()));
}

function expectValid(value: unknown): void {
  const valid = validate(value);
  expect(valid, describeErrors(validate.errors)).toBe(true);
}

function expectInvalid(value: unknown, instancePath: string): void {
  expect(validate(value)).toBe(false);
  expect(validate.errors?.map((error) => error.instancePath)).toContain(instancePath);
}

/**
 * What reading the document back gives: passing and info findings without message (empty),
 * remediation or data.
 */
function readBack(result: RunResult): RunResult {
  return {
    ...result,
    targets: result.targets.map((target) => ({
      ...target,
      findings: target.findings.map((finding) => {
        if (finding.status !== 'pass' && finding.status !== 'info') return finding;
        const { data: _data, remediation: _remediation, ...rest } = finding;
        return { ...rest, message: '' };
      }),
    })),
  };
}

describe('json renderer', () => {
  it('writes one top-level member a line, one target a line, with a final newline, and reads back', () => {
    const result = threeDomains();
    const output = renderJson(result);
    expect(output.endsWith('}\n')).toBe(true);
    const lines = output.split('\n');
    expect(lines[1]).toBe(`  "schemaVersion": ${SCHEMA_VERSION},`);
    const first = lines.indexOf('  "targets": [');
    expect(lines.slice(first + 1, first + 4).map((line) => (JSON.parse(line.replace(/,$/, '')) as { domain: string }).domain)).toEqual(
      result.targets.map((target) => target.domain),
    );
    expect(lines[first + 4]).toBe('  ],');
    expect(resultFromDocument(JSON.parse(output))).toEqual(readBack(result));
  });

  it('keeps strings with quotes, markup, newlines and control characters intact', () => {
    const result = hostileStrings();
    expect(resultFromDocument(JSON.parse(renderJson(result)))).toEqual(readBack(result));
  });

  it('ignores the colour option', () => {
    expect(renderJson(cleanPass())).not.toContain('\u001b');
  });

  it.each(Object.entries(RENDERER_SCENARIOS))('writes %s piece by piece, and reads it back', (_name, build) => {
    const result = build();
    const chunks = [...jsonChunks(result)];
    const written = JSON.parse(chunks.join(''));
    expectValid(written);
    expect(resultFromDocument(written)).toEqual(readBack(result));
    expect(chunks.length).toBeGreaterThan(result.targets.length);
  });

  it('keeps a reference that differs from its check\'s', () => {
    const result = twoSrvOutOfNamespace();
    const [first, second] = result.targets[0]!.findings.filter((finding) => finding.status !== 'pass');
    second!.check = first!.check;
    second!.reference = 'RFC 2782';
    const written = JSON.parse(renderJson(result));
    expect(written.references[first!.check]).toBe(first!.reference);
    expect(resultFromDocument(written)).toEqual(readBack(result));
  });

  it('writes a certificate that several peers sent once, and reads it back as one object', () => {
    const result = threeDomains();
    const probes = result.targets.flatMap((target) => target.observations.tls).filter((probe) => probe.chain.length > 0);
    const shared = probes[0]!.chain[0]!;
    const output = renderJson({
      ...result,
      targets: result.targets.map((target) => ({ ...target, observations: { ...target.observations, tls: target.observations.tls.map((probe) => ({ ...probe, chain: [shared] })) } })),
    });
    const parsed = JSON.parse(output);
    expect(Object.keys(parsed.certificates)).toEqual([shared.fingerprintSha256]);
    expect(output.split(shared.pem.slice(30, 60)).length - 1).toBe(1);
    const read = resultFromDocument(parsed);
    const chains = read.targets.flatMap((target) => target.observations.tls.map((probe) => probe.chain[0]));
    expect(new Set(chains).size).toBe(1);
  });

  it('keeps two different certificates that claim one fingerprint apart', () => {
    const result = mixedCertificates();
    const [first, second] = result.targets[0]!.observations.tls.filter((probe) => probe.chain.length > 0);
    const impostor = { ...second!.chain[0]!, fingerprintSha256: first!.chain[0]!.fingerprintSha256, subject: 'CN=impostor' };
    second!.chain[0] = impostor;
    const parsed = JSON.parse(renderJson(result));
    expect(parsed.certificates[`${impostor.fingerprintSha256}#2`].subject).toBe('CN=impostor');
    expect(validate(parsed), describeErrors(validate.errors)).toBe(true);
    expect(resultFromDocument(parsed)).toEqual(readBack(result));
  });

  it('writes a result without targets with empty tables', () => {
    const written = JSON.parse(renderJson({ ...cleanPass(), targets: [] }));
    for (const table of ['certificates', 'revocations', 'revocationBodies', 'cipherProbes', 'legacyProbes', 'texts', 'references']) expect(written[table]).toEqual({});
    expect(Object.keys(written).at(-1)).toBe('summary');
  });
});

describe('reading a saved document', () => {
  it('reads version 1, merging equal copies of a certificate into one object', () => {
    const result = threeDomains();
    const version1 = JSON.parse(JSON.stringify({ ...result, schemaVersion: 1 }));
    expect(version1.targets[0].findings[0].message).not.toBe('');
    expectValid(version1);
    const read = resultFromDocument(version1);
    expect(read).toEqual(result);
    expect(read.schemaVersion).toBe(SCHEMA_VERSION);
    const twice = JSON.parse(JSON.stringify(version1));
    twice.targets[1].observations.tls[0].chain = twice.targets[0].observations.tls[0].chain;
    const copies = JSON.parse(JSON.stringify(twice));
    const merged = resultFromDocument(copies);
    expect(merged.targets[1]!.observations.tls[0]!.chain[0]).toBe(merged.targets[0]!.observations.tls[0]!.chain[0]);
  });

  it('refuses a chain that names a certificate the document does not have, or a version 1 chain of keys', () => {
    const missing = document();
    missing.targets[0].observations.tls[0].chain[0] = 'AA:'.repeat(31) + 'AA';
    expect(() => resultFromDocument(missing)).toThrow(new DocumentError(`targets[0].observations.tls[0].chain[0] names no certificate of the report's "certificates"`));
    const mixed = document();
    mixed.schemaVersion = 1;
    delete mixed.certificates;
    expect(() => resultFromDocument(mixed)).toThrow(DocumentError);
  });
});

describe('revocation in a saved document', () => {
  /** The rendered everyOptionalField twice over: two targets whose revocation shares its issuer and bodies. */
  const twice = () => {
    const result = everyOptionalField();
    return { ...result, targets: [result.targets[0]!, { ...result.targets[0]!, domain: 'second.example' }] };
  };

  it('keeps each CRL and OCSP body, each staple and each issuer once, by key, and reads them back', () => {
    const result = twice();
    const written = JSON.parse(renderJson(result));
    const [body] = Object.entries(written.revocationBodies as Record<string, string>).filter(([, text]) => text === 'MAMCAQA=');
    expect(body?.[0]).toBe(createHash('sha256').update(Buffer.from('MAMCAQA=', 'base64')).digest('hex'));
    // Two bodies and a staple, however many targets.
    expect(Object.keys(written.revocationBodies)).toHaveLength(3);
    expect(written.targets.map((target: any) => target.observations.tls[0].stapledOcspKey)).toEqual([
      createHash('sha256').update(Buffer.from('MAMCAQE=', 'base64')).digest('hex'),
      createHash('sha256').update(Buffer.from('MAMCAQE=', 'base64')).digest('hex'),
    ]);
    // The entry once, however many targets: both name it.
    const keys = written.targets.map((target: any) => target.observations.revocation.certificates[0]);
    expect(new Set(keys).size).toBe(1);
    expect(Object.keys(written.revocations)).toHaveLength(result.targets[0]!.observations.revocation!.certificates.length);
    const entries = keys.map((key: string) => written.revocations[key]);
    for (const entry of entries) {
      expect(entry.crls[0]).toMatchObject({ bodyKey: body?.[0] });
      expect(entry.crls[0].body).toBeUndefined();
      expect(written.certificates[entry.issuer.certificate]).toMatchObject({ subject: 'CN=Example Issuing CA G2, O=Example Trust' });
    }
    const read = resultFromDocument(written);
    expect(read.targets.map((target) => target.observations.revocation)).toEqual(result.targets.map((target) => target.observations.revocation));
    expect(read.targets.map((target) => target.observations.tls[0]!.stapledOcsp)).toEqual(['MAMCAQE=', 'MAMCAQE=']);
  });

  it('refuses a body key, a staple key, an issuer or a revocation entry that names nothing in the document', () => {
    const unknownBody = JSON.parse(renderJson(twice()));
    const entryKey = unknownBody.targets[0].observations.revocation.certificates[0];
    const crlKey = unknownBody.revocations[entryKey].crls[0].bodyKey;
    delete unknownBody.revocationBodies[crlKey];
    expect(() => resultFromDocument(unknownBody)).toThrow(
      new DocumentError(`revocations["${entryKey}"].crls[0].bodyKey names no body of the report's "revocationBodies"`),
    );
    const unknownStaple = JSON.parse(renderJson(twice()));
    unknownStaple.targets[0].observations.tls[0].stapledOcspKey = '0'.repeat(64);
    expect(() => resultFromDocument(unknownStaple)).toThrow(
      new DocumentError(`targets[0].observations.tls[0].stapledOcspKey names no body of the report's "revocationBodies"`),
    );
    const unknownIssuer = JSON.parse(renderJson(twice()));
    unknownIssuer.revocations[entryKey].issuer.certificate = 'AA:'.repeat(31) + 'AA';
    expect(() => resultFromDocument(unknownIssuer)).toThrow(
      new DocumentError(`revocations["${entryKey}"].issuer.certificate names no certificate of the report's "certificates"`),
    );
    const unknownEntry = JSON.parse(renderJson(twice()));
    unknownEntry.targets[1].observations.revocation.certificates[0] = 'AA:'.repeat(31) + 'AA';
    expect(() => resultFromDocument(unknownEntry)).toThrow(
      new DocumentError(`targets[1].observations.revocation.certificates[0] names no entry of the report's "revocations"`),
    );
  });
});

describe('version 3: what domains share, once', () => {
  /** Two domains served by the same peers, as a provider's are. */
  const twoDomainsOnePeer = () => {
    const result = everyOptionalField();
    return { ...result, targets: [result.targets[0]!, { ...result.targets[0]!, domain: 'second.example' }] };
  };

  it('writes each peer\'s cipher and legacy-protocol probes, and each finding text, once', () => {
    const result = twoDomainsOnePeer();
    const written = JSON.parse(renderJson(result));
    const probes = result.targets[0]!.observations.tls;
    const withCiphers = probes.filter((probe) => probe.ciphers !== undefined);
    expect(withCiphers.length).toBeGreaterThan(0);
    expect(Object.keys(written.cipherProbes)).toHaveLength(new Set(withCiphers.map((probe) => `${probe.address}:${probe.port}`)).size);
    expect(written.targets[1].observations.tls.map((probe: any) => probe.legacyProtocols)).toEqual(written.targets[0].observations.tls.map((probe: any) => probe.legacyProtocols));
    const problems = result.targets[0]!.findings.filter((finding) => finding.status === 'warn' || finding.status === 'fail');
    expect(problems.length).toBeGreaterThan(0);
    const distinctTexts = new Set(problems.flatMap((finding) => [finding.message, ...(finding.remediation ? [finding.remediation] : [])]));
    expect(Object.keys(written.texts)).toHaveLength(distinctTexts.size);
    expect(resultFromDocument(written)).toEqual(readBack(result));
  });

  it('writes a passing or info finding as its code, status and subject, in its place', () => {
    const result = everyOptionalField();
    const written = JSON.parse(renderJson(result));
    const findings = result.targets[0]!.findings;
    expect(findings.some((finding) => finding.status === 'info')).toBe(true);
    expect(written.targets[0].findings.map((finding: any) => [finding.code, finding.status, finding.subject])).toEqual(findings.map((finding) => [finding.code, finding.status, finding.subject]));
    for (const [index, finding] of findings.entries()) {
      if (finding.status === 'pass' || finding.status === 'info') expect(Object.keys(written.targets[0].findings[index])).toEqual(['code', 'status', 'subject']);
    }
  });

  it('writes a DNS exchange without its defaults, its flags as dig does and its records as rows', () => {
    const written = JSON.parse(renderJson(everyOptionalField()));
    const [query] = written.targets[0].observations.dns;
    expect(query).not.toHaveProperty('resolver');
    expect(query).not.toHaveProperty('transport');
    expect(query).not.toHaveProperty('retriedOverTcp');
    expect(query.flags).toMatch(/^((aa|tc|rd|ra|ad|cd)( |$))*$/);
    expect(query.answers[0]).toEqual(expect.arrayContaining([query.name, 'SRV']));
    const tcp = written.targets[0].observations.dns.find((q: any) => q.transport === 'tcp');
    expect(tcp).toBeDefined();
    const [server] = written.targets[0].observations.authoritative.servers;
    expect(server.queries[0]).not.toHaveProperty('name');
    expect(server.queries[0]).not.toHaveProperty('type');
    expect(server.queries[0]).not.toHaveProperty('resolver');
  });

  it('refuses a cipher probe, a legacy probe or a text that names nothing, and an authoritative query without its question', () => {
    const unknownCiphers = JSON.parse(renderJson(twoDomainsOnePeer()));
    unknownCiphers.cipherProbes = {};
    expect(() => resultFromDocument(unknownCiphers)).toThrow(/names no probe of the report's "cipherProbes"/);
    const unknownLegacy = JSON.parse(renderJson(twoDomainsOnePeer()));
    unknownLegacy.legacyProbes = {};
    expect(() => resultFromDocument(unknownLegacy)).toThrow(/legacyProtocols names no probe of the report's "legacyProbes"/);
    const unknownText = JSON.parse(renderJson(twoDomainsOnePeer()));
    unknownText.texts = {};
    expect(() => resultFromDocument(unknownText)).toThrow(/messageKey names no text of the report's "texts"/);
    const noQuestion = JSON.parse(renderJson(twoDomainsOnePeer()));
    delete noQuestion.targets[0].observations.authoritative.zone;
    expect(() => resultFromDocument(noQuestion)).toThrow(
      new DocumentError(`targets[0].observations.authoritative.servers[0].queries[0] has no name and type, and the zone has no question 1 to take them from`),
    );
  });
});

describe('a version 2 document, as fedcheck wrote it before version 3', () => {
  const saved = JSON.parse(readFileSync(new URL('v2-demo-by-fedcheck-0398bdd.json', FIXTURES_DIR), 'utf8'));

  it('reads every finding, every probe with its certificates, ciphers and legacy protocols, and every revocation entry', () => {
    expect(saved.schemaVersion).toBe(2);
    expectValid(saved);
    const read = resultFromDocument(saved);
    expect(read.targets.map((target) => target.findings.map((f) => [f.code, f.status, f.subject]))).toEqual(
      saved.targets.map((target: any) => target.findings.map((f: any) => [f.code, f.status, f.subject])),
    );
    const probes = read.targets.flatMap((target) => target.observations.tls);
    expect(probes.some((probe) => probe.ciphers !== undefined)).toBe(true);
    for (const probe of probes) {
      expect(Array.isArray(probe.legacyProtocols)).toBe(true);
      for (const certificate of probe.chain) expect(certificate.pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    }
    const entries = read.targets.flatMap((target) => target.observations.revocation?.certificates ?? []);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) if (entry.issuer) expect(entry.issuer.certificate.pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const queries = read.targets.flatMap((target) => target.observations.dns);
    for (const query of queries) expect(query.answers.every((record) => !Array.isArray(record))).toBe(true);
  });

  it('is written again as version 3, which reads back to the same result', () => {
    const read = resultFromDocument(saved);
    const again = JSON.parse(renderJson(read));
    expectValid(again);
    expect(resultFromDocument(again)).toEqual(readBack(read));
    expect(renderJson(read).length).toBeLessThan(JSON.stringify(saved).length);
  });
});

describe('result schema', () => {
  const schema = loadResultSchema() as any;

  it('is a draft 2020-12 schema with a stable id', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('https://fedcheck.dev/schema/result-v3.json');
  });

  it('knows exactly the statuses of the model, and requires all six summary counters', () => {
    expect(schema.$defs.status.enum).toEqual([...STATUSES]);
    expect([...schema.properties.summary.required].sort()).toEqual([...STATUSES].sort());
  });

  it.each(Object.entries(RENDERER_SCENARIOS))('accepts the rendered %s result', (_name, scenario) => {
    expectValid(JSON.parse(renderJson(scenario())));
  });

  it('accepts the saved results in test/report/fixtures', () => {
    const saved = fixtures();
    expect(saved.length).toBeGreaterThan(0);
    for (const [file, value] of saved) {
      const valid = validate(value);
      expect(valid, `${file}: ${describeErrors(validate.errors)}`).toBe(true);
    }
  });

  it('rejects a document missing a required field', () => {
    const missingSummary = document();
    delete missingSummary.summary.skip;
    expectInvalid(missingSummary, '/summary');
    const missingMessage = document();
    const problem = missingMessage.targets[0].findings.findIndex((finding: { status: string }) => finding.status === 'warn' || finding.status === 'fail');
    delete missingMessage.targets[0].findings[problem].messageKey;
    expectInvalid(missingMessage, `/targets/0/findings/${problem}`);
    const passWithMessage = document();
    passWithMessage.targets[0].findings.push({ check: 'srv-port', code: 'srv-port.pass', status: 'pass', subject: 'x', message: 'as version 1 wrote it' });
    expectValid(passWithMessage);
    const neitherCheckNorCode = document();
    delete neitherCheckNorCode.targets[0].findings[0].code;
    delete neitherCheckNorCode.targets[0].findings[0].check;
    expectInvalid(neitherCheckNorCode, '/targets/0/findings/0');
    const missingConnect = document();
    delete missingConnect.targets[0].observations.tls[0].connect;
    expectInvalid(missingConnect, '/targets/0/observations/tls/0');
  });

  it('rejects an unknown status anywhere', () => {
    const badFinding = document();
    badFinding.targets[0].findings[0].status = 'ok';
    expectInvalid(badFinding, '/targets/0/findings/0/status');
    const badRun = document();
    badRun.status = 'FAIL';
    expectInvalid(badRun, '/status');
  });

  it('rejects extra properties where the model is closed', () => {
    const cases: Array<[(doc: any) => void, string]> = [
      [(doc) => (doc.extra = true), ''],
      [(doc) => (doc.targets[0].score = 3), '/targets/0'],
      [(doc) => (doc.targets[0].findings[0].severity = 'high'), '/targets/0/findings/0'],
      [(doc) => (doc.targets[0].observations.dns[0].ttl = 5), '/targets/0/observations/dns/0'],
      [(doc) => (doc.certificates[doc.targets[0].observations.tls[0].chain[0]].der = 'MII'), `/certificates/${document().targets[0].observations.tls[0].chain[0]}`],
      [(doc) => (doc.summary.total = 10), '/summary'],
      [(doc) => (doc.tool.commit = 'abc'), '/tool'],
    ];
    for (const [breakIt, path] of cases) {
      const doc = document();
      breakIt(doc);
      expectInvalid(doc, path);
    }
  });

  it('leaves finding data and options open, but never accepts a recorded private key', () => {
    const open = document();
    open.targets[0].findings[0].data = { anything: [1, { nested: true }] };
    open.options.someFutureOption = 'x';
    expectValid(open);
    const leaked = document();
    leaked.options.clientCertificate = { certFile: 'c.pem', certPem: '…', keyPem: '-----BEGIN PRIVATE KEY-----' };
    expectInvalid(leaked, '/options/clientCertificate');
  });

  it('checks record shapes by record type, as objects (versions 1 and 2) and as rows (version 3)', () => {
    const srvWithoutPort = document();
    expect(srvWithoutPort.targets[0].observations.dns[0].answers[0][2]).toBe('SRV');
    srvWithoutPort.targets[0].observations.dns[0].answers[0].splice(5, 1);
    expect(validate(srvWithoutPort)).toBe(false);
    const aWithObjectData = document();
    aWithObjectData.targets[0].observations.dns[1].answers[0][3] = { address: '192.0.2.10' };
    expect(validate(aWithObjectData)).toBe(false);
    const unknownType = document();
    unknownType.targets[0].observations.dns[1].answers[0][2] = 'MX';
    expect(validate(unknownType)).toBe(false);
    const objectRecord = document();
    objectRecord.targets[0].observations.dns[1].answers[0] = { name: 'sip.ciscoexample.com', type: 'A', ttl: 300, data: '192.0.2.10' };
    expectValid(objectRecord);
    objectRecord.targets[0].observations.dns[1].answers[0].data = { address: '192.0.2.10' };
    expect(validate(objectRecord)).toBe(false);
  });

  it('checks values: versions, ports, families, timestamps, fingerprints', () => {
    const cases: Array<(doc: any) => void> = [
      (doc) => (doc.schemaVersion = 4),
      (doc) => delete doc.certificates,
      (doc) => (doc.schemaVersion = 1),
      (doc) => (doc.targets[0].observations.tls[0].chain[0] = 'not a key'),
      (doc) => (doc.certificates = { 'not a key': Object.values(doc.certificates)[0] }),
      (doc) => (doc.tool.name = 'other'),
      (doc) => (doc.startedAt = 'yesterday'),
      (doc) => (doc.durationMs = -1),
      (doc) => (doc.targets[0].role = 'remote'),
      (doc) => (doc.targets[0].observations.tls[0].port = 70000),
      (doc) => (doc.targets[0].observations.tls[0].family = 5),
      (doc) => (doc.certificates[doc.targets[0].observations.tls[0].chain[0]].fingerprintSha256 = 'ab:cd'),
      (doc) => (doc.targets[0].observations.dns[0].answers[0][1] = 1.5),
      (doc) => (doc.targets[0].observations.dns[0].flags = 'aa xx'),
      (doc) => delete doc.targets[0].observations.dns[0].name,
      (doc) => (doc.summary.fail = -1),
      (doc) => (doc.targets[0].findings[0].check = 'Not An Id'),
    ];
    for (const breakIt of cases) {
      const doc = document();
      breakIt(doc);
      expect(validate(doc), JSON.stringify(breakIt.toString())).toBe(false);
    }
  });
});

describe('isDateTime', () => {
  it('accepts RFC 3339 timestamps only', () => {
    expect(isDateTime('2025-03-01T08:00:00.000Z')).toBe(true);
    expect(isDateTime('2025-03-01T08:00:00+01:00')).toBe(true);
    expect(isDateTime('2025-03-01')).toBe(false);
    expect(isDateTime('2025-13-45T99:00:00Z')).toBe(false);
  });
});
