// The SRV records of issue 9 against BIND 9, a name server fedcheck did not write, which rotates
// the records of every answer (rrset-order cyclic) and answers an alias into another of its zones
// with the CNAME alone:
// - tie.example: two records tie for first place; the run is repeated with each rotation and the
//   findings must not change (the expired certificate behind one of them fails every run);
// - alias.example: its SRV name is a CNAME of another domain's SRV name;
// - dot.example: its SRV target lost its trailing dot, and a wildcard answers for the doubled name.
// The TLS peers come from the lab. Skipped, saying so, where BIND, root or loopback addresses are missing.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDns } from '../../src/gather/dns/client.js';
import { fixturesPath, startLab, type RunningLab } from '../../src/lab/lab.js';
import { fillZonePlaceholders } from '../../src/lab/zone.js';
import { finalRecords, sipFederationSrvName } from '../../src/model/dns.js';
import type { Finding } from '../../src/model/findings.js';
import { bindAvailability, startBind, type RunningBind } from '../helpers/bind.js';
import { runFedcheck, type FedcheckRun } from '../helpers/fedcheck.js';
import { writeTemporaryFile } from '../helpers/files.js';

const availability = bindAvailability();
if (!availability.available) console.warn(`${availability.reason}: skipping the SRV scenarios against BIND`);

const TIE = 'tie.example';
const ALIAS = 'alias.example';
const DOT = 'dot.example';
const TIE_SRV = sipFederationSrvName(TIE);
/** Each rotation of the tied answer at least once: every order the resolver can return first. */
const RUNS = 5;

function zone(file: string, domain: string, variables: Record<string, string>): string {
  const text = fillZonePlaceholders(readFileSync(fixturesPath('zones', 'scenarios', file), 'utf8'), variables, file);
  return text.replaceAll('ciscoexample.com', domain);
}

/** What must read the same on every run: timings aside, every finding in full. */
function comparable(run: FedcheckRun): unknown[] {
  const untimed = (key: string, value: unknown) => (key === 'durationMs' ? undefined : value);
  return (run.json?.targets ?? []).flatMap((target) =>
    target.findings.map((finding) =>
      JSON.parse(JSON.stringify({ domain: target.domain, ...finding, message: finding.message.replace(/\d+ ms\b/g, 'N ms') }, untimed)),
    ),
  );
}

describe.skipIf(!availability.available)('SRV records against BIND 9, which rotates them', () => {
  let lab: RunningLab | undefined;
  let bind: RunningBind | undefined;
  const runs: FedcheckRun[] = [];
  /** The target of the first tied record each run's SRV answer listed. */
  const firstReturned: string[] = [];

  beforeAll(async () => {
    if (!availability.available) return;
    lab = await startLab({
      zones: [],
      endpoints: [
        { name: 'PEER1', certificate: { profile: 'good-rsa', names: [`sip1.${TIE}`, `backup.${TIE}`] } },
        { name: 'PEER2', certificate: { profile: 'expired', names: [`sip2.${TIE}`] } },
        { name: 'PEER3', certificate: { profile: 'good-rsa', names: ['sip.hosting.example.net'] } },
        { name: 'PEER4', certificate: { profile: 'good-rsa', names: [`sip.${DOT}`] } },
      ],
    });
    const peers = lab.variables;
    bind = await startBind(
      availability,
      1,
      ([address]) => {
        const variables = (peer: string) => ({ ...peers, PEER1: peers[peer]!, LAB_NS: address! });
        return [
          {
            zones: [
              { origin: TIE, text: zone('tied-srv.zone', TIE, { ...peers, LAB_NS: address! }) },
              { origin: ALIAS, text: zone('srv-alias.zone', ALIAS, variables('PEER3')) },
              { origin: 'hosting.example.net', text: zone('srv-alias-hosting.zone', ALIAS, variables('PEER3')) },
              { origin: DOT, text: zone('missing-dot-wildcard.zone', DOT, variables('PEER4')) },
            ],
          },
        ];
      },
      { rrsetOrder: 'cyclic' },
    );
    const resolver = { host: bind.addresses[0]!, port: 53 };
    const ca = await writeTemporaryFile('lab-root.pem', lab.rootPem);
    const rotation = ['backup', 'sip1', 'sip2'].map((label) => `${label}.${TIE}`);
    for (let run = 0; run < RUNS; run++) {
      // Cyclic order moves by one record per answer: ask until the answer starts with this run's
      // record, so that fedcheck's own question gets the next rotation.
      const leading = rotation[run % rotation.length]!;
      for (let attempt = 0; attempt < 6; attempt++) {
        const answer = await queryDns({ name: TIE_SRV, type: 'SRV', resolver, timeoutMs: 2000 });
        if (finalRecords(answer, 'SRV')[0]?.data.target === leading) break;
      }
      const result = await runFedcheck([TIE, ALIAS, DOT, '--resolver', `${resolver.host}:53`, '--ca', ca, '--json']);
      runs.push(result);
      const tied = result.json?.targets.find((target) => target.domain === TIE)?.observations.dns.find((query) => query.name === TIE_SRV);
      firstReturned.push(tied ? (finalRecords(tied, 'SRV')[0]?.data.target ?? '') : '');
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all([bind?.stop(), lab?.close()]);
  }, 30_000);

  const findingsOf = (domain: string, run = runs[0]): Finding[] => run?.json?.targets.find((target) => target.domain === domain)?.findings ?? [];
  const codes = (domain: string, check: string) => findingsOf(domain).filter((finding) => finding.check === check).map((finding) => `${finding.code} ${finding.subject}`);

  it('gives the same verdict and the same findings, in the same order, whichever record BIND returned first', () => {
    expect(firstReturned).toContain(`sip1.${TIE}`);
    expect(firstReturned).toContain(`sip2.${TIE}`);
    for (const run of runs) {
      expect(run.stderr, bind?.logs()).toBe('');
      expect(run.code).toBe(2);
      expect(comparable(run)).toEqual(comparable(runs[0]!));
    }
  });

  it('probes both tied targets: the expired certificate behind one of them fails every run', () => {
    expect(codes(TIE, 'srv-target-namespace')).toEqual([`srv-target-namespace.pass sip1.${TIE}`, `srv-target-namespace.pass sip2.${TIE}`]);
    expect(codes(TIE, 'cert-validity')).toEqual([`cert-validity.pass ${lab!.variables.PEER1}:5061`, `cert-validity.expired ${lab!.variables.PEER2}:5061`]);
    expect(codes(TIE, 'srv-single')).toEqual([`srv-single.several ${TIE_SRV}`]);
  });

  it("follows the SRV name's alias BIND answered with the CNAME alone, and fixes it with the domain's own record", () => {
    expect(codes(ALIAS, 'srv-present')).toEqual([`srv-present.pass ${sipFederationSrvName(ALIAS)}`]);
    const namespace = findingsOf(ALIAS).find((finding) => finding.check === 'srv-target-namespace');
    expect(namespace?.code).toBe('srv-target-namespace.outside');
    expect(namespace?.remediation).toContain(`"${sipFederationSrvName(ALIAS)}. 3600 IN SRV 10 10 5061 sip.${ALIAS}."`);
    for (const finding of findingsOf(ALIAS)) expect(finding.remediation ?? '', finding.code).not.toContain(`"${sipFederationSrvName('hosting.example.net')}. `);
  });

  it('recognises the missing trailing dot behind a wildcard, with one fix and no certificate for the doubled name', () => {
    const doubled = `sip.${DOT}.${DOT}`;
    const diagnosed = findingsOf(DOT).filter((finding) => finding.code.endsWith('.missing-trailing-dot'));
    expect(diagnosed.map((finding) => finding.code)).toEqual([
      'srv-target-namespace.missing-trailing-dot',
      'srv-target-address.missing-trailing-dot',
      'cert-name.missing-trailing-dot',
    ]);
    for (const finding of diagnosed) {
      expect(finding.remediation).toContain(`"${sipFederationSrvName(DOT)}. 3600 IN SRV 0 0 5061 sip.${DOT}."`);
      expect(finding.remediation).not.toContain(`DNS:${doubled}`);
    }
  });
});
