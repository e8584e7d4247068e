// The real binary against BIND 9 authoritative servers on port 53 of their own loopback
// addresses: ciscoexample.com served by a primary, a stale secondary (last year's copy) and a
// lame server (no zone: REFUSED), and three partners served by the primary: one on Microsoft 365,
// one half-migrated (hybrid split), one on-premises. The TLS peers come from the lab. Skipped,
// saying so, where BIND, root or loopback addresses are not available.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesPath, startLab, type RunningLab } from '../../src/lab/lab.js';
import { fillZonePlaceholders } from '../../src/lab/zone.js';
import type { Finding } from '../../src/model/findings.js';
import { bindAvailability, startBind, type RunningBind } from '../helpers/bind.js';
import { runFedcheck, type FedcheckRun } from '../helpers/fedcheck.js';
import { writeTemporaryFile } from '../helpers/files.js';
import { resultValidator, describeErrors } from '../report/schema.js';

const availability = bindAvailability();
if (!availability.available) console.warn(`${availability.reason}: skipping the BIND scenarios`);

const RUNS = 3;
/** The Microsoft 365 zone files all describe fabrikam.com; here each variant is a partner of its own. */
const PARTNERS = { 'cloud.example': 'cloud.zone', 'hybrid.example': 'hybrid-split.zone', 'onprem.example': 'on-premises.zone' } as const;

function zoneFile(path: string, variables: Record<string, string>, domain?: string): string {
  const text = fillZonePlaceholders(readFileSync(fixturesPath('zones', path), 'utf8'), variables, path);
  return domain ? text.replaceAll('fabrikam.com', domain) : text;
}

describe.skipIf(!availability.available)('against BIND 9: a primary, a stale secondary, a lame server and Microsoft 365 partners', () => {
  let lab: RunningLab | undefined;
  let bind: RunningBind | undefined;
  const runs: FedcheckRun[] = [];

  beforeAll(async () => {
    if (!availability.available) return;
    lab = await startLab({
      zones: [],
      endpoints: [
        { name: 'PEER1', certificate: { profile: 'good-rsa', names: ['sip.ciscoexample.com'] } },
        { name: 'M365', certificate: { profile: 'good-rsa', names: ['sipfed.online.lync.com'] } },
        { name: 'EDGE', certificate: { profile: 'good-rsa', names: ['access.onprem.example'] } },
      ],
    });
    const labVariables = lab.variables;
    bind = await startBind(availability, 3, ([ns1, ns2, ns3]) => {
      const variables = { ...labVariables, NS1: ns1!, NS2: ns2!, NS3: ns3!, LAB_NS: ns1! };
      return [
        {
          zones: [
            { origin: 'ciscoexample.com', text: zoneFile('authoritative/current.zone', variables) },
            { origin: 'online.lync.com', text: zoneFile('microsoft365/online.lync.com.zone', variables) },
            ...Object.entries(PARTNERS).map(([domain, file]) => ({ origin: domain, text: zoneFile(`microsoft365/${file}`, variables, domain) })),
          ],
        },
        { zones: [{ origin: 'ciscoexample.com', text: zoneFile('authoritative/stale.zone', variables) }] },
        { zones: [] },
      ];
    });
    const ca = await writeTemporaryFile('lab-root.pem', lab.rootPem);
    const args = ['ciscoexample.com', ...Object.keys(PARTNERS).flatMap((domain) => ['--partner', domain])];
    for (let run = 0; run < RUNS; run++) {
      runs.push(await runFedcheck([...args, '--resolver', `${bind.addresses[0]}:53`, '--ca', ca, '--json']));
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all([bind?.stop(), lab?.close()]);
  }, 30_000);

  function findings(run: FedcheckRun, domain: string): Finding[] {
    return run.json?.targets.find((target) => target.domain === domain)?.findings ?? [];
  }

  function codes(run: FedcheckRun, domain: string, check: string): string[] {
    return findings(run, domain).filter((finding) => finding.check === check).map((finding) => finding.code);
  }

  it('produces a valid JSON report and exits 2 on every run', () => {
    const validate = resultValidator();
    for (const run of runs) {
      expect(run.stderr, bind?.logs()).toBe('');
      expect(validate(run.document), describeErrors(validate.errors)).toBe(true);
      expect(run.code).toBe(2);
    }
  });

  it('fails the stale secondary, naming both serials and the old target, and the lame server, every run', () => {
    const [ns1, ns2, ns3] = bind!.addresses;
    for (const run of runs) {
      expect(codes(run, 'ciscoexample.com', 'dns-authoritative').sort()).toEqual(['dns-authoritative.lame', 'dns-authoritative.srv-differs']);
      const differs = findings(run, 'ciscoexample.com').find((finding) => finding.code === 'dns-authoritative.srv-differs')!;
      for (const part of [ns1!, ns2!, '2026112602', '2025061501', 'vcse.ciscoexample.com']) expect(differs.message).toContain(part);
      const lame = findings(run, 'ciscoexample.com').find((finding) => finding.code === 'dns-authoritative.lame')!;
      expect(lame.subject).toBe(`${ns3}:53`);
      expect(lame.message).toContain('REFUSED');
    }
  });

  it('judges the three partners by their Teams / Skype for Business records, every run', () => {
    for (const run of runs) {
      expect(codes(run, 'cloud.example', 'm365-records')).toEqual(Array(4).fill('m365-records.record-ok'));
      expect(codes(run, 'hybrid.example', 'm365-records')).toContain('m365-records.split');
      expect(codes(run, 'onprem.example', 'm365-records')).toEqual(['m365-records.on-premises']);
      for (const domain of Object.keys(PARTNERS)) {
        expect(codes(run, domain, 'dns-authoritative')).toEqual(['dns-authoritative.consistent']);
      }
    }
  });

  it('keeps what each server answered in the observations, for --replay', () => {
    const [ns1, ns2, ns3] = bind!.addresses;
    for (const run of runs) {
      const authoritative = run.json?.targets.find((target) => target.domain === 'ciscoexample.com')?.observations.authoritative;
      expect(authoritative?.zone).toBe('ciscoexample.com');
      expect(authoritative?.servers.map((server) => server.endpoint)).toEqual([`${ns1}:53`, `${ns2}:53`, `${ns3}:53`]);
      expect(authoritative?.servers[2]?.queries.map((query) => query.rcode)).toEqual(['REFUSED', 'REFUSED', 'REFUSED', 'REFUSED']);
    }
  });
});
