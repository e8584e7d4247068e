import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STATUSES } from '../../src/model/findings.js';
import { jsonChunks, renderJson } from '../../src/report/json.js';
import {
  RENDERER_SCENARIOS,
  cleanPass,
  hostileStrings,
  mixedCertificates,
  twoSrvOutOfNamespace,
} from './results.js';
import { createResultValidator, describeErrors, isDateTime, loadResultSchema } from './schema.js';

const validate = createResultValidator();


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

describe('json renderer', () => {
  it('writes the result itself, indented, with a final newline, and round-trips', () => {
    const result = twoSrvOutOfNamespace();
    const output = renderJson(result);
    expect(output.endsWith('}\n')).toBe(true);
    expect(output.split('\n')[1]).toBe('  "schemaVersion": 1,');
    expect(JSON.parse(output)).toEqual(result);
  });

  it('keeps strings with quotes, markup, newlines and control characters intact', () => {
    const result = hostileStrings();
    expect(JSON.parse(renderJson(result))).toEqual(result);
  });

  it('ignores the colour option', () => {
    expect(renderJson(cleanPass())).not.toContain('\u001b');
  });

  it.each(Object.entries(RENDERER_SCENARIOS))('writes %s piece by piece exactly as JSON.stringify(result, null, 2)', (_name, build) => {
    const result = build();
    const chunks = [...jsonChunks(result)];
    expect(chunks.join('')).toBe(`${JSON.stringify(result, null, 2)}\n`);
    expect(chunks.length).toBeGreaterThan(result.targets.length);
  });

  it('writes a result without targets like JSON.stringify', () => {
    const result = { ...cleanPass(), targets: [] };
    expect(renderJson(result)).toBe(`${JSON.stringify(result, null, 2)}\n`);
  });
});

describe('result schema', () => {
  const schema = loadResultSchema() as any;

  it('is a draft 2020-12 schema with a stable id', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('https://fedcheck.dev/schema/result-v1.json');
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
    delete missingMessage.targets[0].findings[0].message;
    expectInvalid(missingMessage, '/targets/0/findings/0');
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
      [(doc) => (doc.targets[0].observations.tls[0].chain[0].der = 'MII'), '/targets/0/observations/tls/0/chain/0'],
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

  it('checks record shapes by record type', () => {
    const srvWithoutPort = document();
    delete srvWithoutPort.targets[0].observations.dns[0].answers[0].data.port;
    expect(validate(srvWithoutPort)).toBe(false);
    const aWithObjectData = document();
    aWithObjectData.targets[0].observations.dns[1].answers[0].data = { address: '192.0.2.10' };
    expect(validate(aWithObjectData)).toBe(false);
    const unknownType = document();
    unknownType.targets[0].observations.dns[1].answers[0].type = 'MX';
    expect(validate(unknownType)).toBe(false);
  });

  it('checks values: versions, ports, families, timestamps, fingerprints', () => {
    const cases: Array<(doc: any) => void> = [
      (doc) => (doc.schemaVersion = 2),
      (doc) => (doc.tool.name = 'other'),
      (doc) => (doc.startedAt = 'yesterday'),
      (doc) => (doc.durationMs = -1),
      (doc) => (doc.targets[0].role = 'remote'),
      (doc) => (doc.targets[0].observations.tls[0].port = 70000),
      (doc) => (doc.targets[0].observations.tls[0].family = 5),
      (doc) => (doc.targets[0].observations.tls[0].chain[0].fingerprintSha256 = 'ab:cd'),
      (doc) => (doc.targets[0].observations.dns[0].answers[0].ttl = 1.5),
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
