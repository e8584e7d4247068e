// The same rules against a DNS server the project did not write: dnsmasq, answering from its
// command line. CI installs it (dnsmasq-base); where it is missing the file skips, saying so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/findings.js';
import { dnsmasqBinary, startDnsmasq, type RunningDnsmasq } from '../helpers/dnsmasq.js';
import { runFedcheck, type FedcheckRun } from '../helpers/fedcheck.js';

describe.skipIf(!dnsmasqBinary)('against dnsmasq', () => {
  let dnsmasq: RunningDnsmasq;
  let run: FedcheckRun;
  const finding = (domain: string, check: string): Finding | undefined =>
    run.json?.targets.find((target) => target.domain === domain)?.findings.find((f) => f.check === check);

  beforeAll(async () => {
    dnsmasq = await startDnsmasq(
      dnsmasqBinary!,
      [
        '--srv-host=_sipfederationtls._tcp.ciscoexample.com,sip.ciscoexample.com,5061,10,10',
        '--srv-host=_sipfederationtls._tcp.exp.ciscoexample.com,sip.ciscoexample.com,5061,10,10',
        '--srv-host=_sipfederationtls._tcp.two.example,sip.two.example,5061,10,10',
        '--srv-host=_sipfederationtls._tcp.two.example,sip2.two.example,5061,5,10',
        '--srv-host=_sipfederationtls._tcp.alias.example,edge.alias.example,5061,0,0',
        '--host-record=sip.ciscoexample.com,127.0.0.1',
        '--host-record=sip.two.example,127.0.0.1',
        '--host-record=sip2.two.example,127.0.0.1',
        '--host-record=real.alias.example,127.0.0.1',
        '--cname=edge.alias.example,real.alias.example',
        '--local=/ciscoexample.com/',
        '--local=/two.example/',
        '--local=/alias.example/',
        '--local=/nodomain.example/',
      ],
      'sip.ciscoexample.com',
    );
    run = await runFedcheck([
      'ciscoexample.com',
      'exp.ciscoexample.com',
      'two.example',
      'alias.example',
      'nodomain.example',
      '--resolver',
      `127.0.0.1:${dnsmasq.port}`,
      '--timeout',
      '6000',
      '--json',
    ]);
  }, 30_000);

  afterAll(() => {
    dnsmasq?.stop();
  });

  it('produces a JSON report', () => {
    expect(run.stderr).toBe('');
    expect(run.json).toBeDefined();
  });

  it('finds the SRV record of a configured domain', () => {
    expect(finding('ciscoexample.com', 'srv-present')?.code).toBe('srv-present.pass');
  });

  it('fails the out-of-namespace target', () => {
    expect(finding('exp.ciscoexample.com', 'srv-target-namespace')?.code).toBe('srv-target-namespace.outside');
  });

  it('names the record Microsoft selects among two', () => {
    const single = finding('two.example', 'srv-single');
    expect(single?.code).toBe('srv-single.several');
    expect(single?.message).toContain('sip2.two.example');
  });

  it('sees the alias in front of the SRV target', () => {
    expect(finding('alias.example', 'srv-target-alias')?.code).toBe('srv-target-alias.alias');
  });

  it('fails a domain without the record', () => {
    expect(finding('nodomain.example', 'srv-present')?.code).toBe('srv-present.missing');
  });
});
