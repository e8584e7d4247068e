// Certificates sent beside the validation path, by a TLS server fedcheck did not write: `openssl
// s_server` sends leaf + intermediate + whatever its -cert_chain holds, here an unrelated, expired,
// 1024-bit self-signed certificate (stray.example) or the root's expired cross-certificate (the
// AddTrust pattern, cross.example). The path is judged, the extra certificate reported, and the
// Nagios days figure is the path's. Skipped, saying so, where openssl is missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateForProfile } from '../../src/lab/certificates.js';
import { startLab, type RunningLab } from '../../src/lab/lab.js';
import { validationPath } from '../../src/model/chain.js';
import type { Finding } from '../../src/model/findings.js';
import { daysLeft } from '../../src/report/facts.js';
import { runFedcheck, type FedcheckRun } from '../helpers/fedcheck.js';
import { findExecutable, temporaryPath, writeTemporaryFile } from '../helpers/files.js';

const openssl = findExecutable('openssl');
if (!openssl) console.warn('openssl is not installed (apt-get install openssl): skipping the extra-certificate scenarios');

const SERVERS = { 'stray.example': 'extra-unrelated', 'cross.example': 'extra-expired-cross' } as const;
type Domain = keyof typeof SERVERS;

/** `openssl s_server` on address:5061 sending leaf, intermediate and the extra certificate; resolves once it accepts TCP. */
async function startSServer(binary: string, address: string, certPem: string, chainPem: string, keyPem: string): Promise<ChildProcess> {
  const file = (name: string, content: string) => {
    const path = temporaryPath(name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  // Security level 0: the distribution's default (2) refuses to load a 1024-bit certificate even as
  // a mere chain element, which servers built on older OpenSSL releases send without a word.
  const args = ['s_server', '-accept', `${address}:5061`, '-cert', file('leaf.pem', certPem), '-key', file('key.pem', keyPem)];
  args.push('-cert_chain', file('chain.pem', chainPem), '-cipher', 'DEFAULT:@SECLEVEL=0', '-quiet');
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`openssl s_server on ${address}:5061 exited with ${child.exitCode}: ${log}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: address, port: 5061 }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill();
  throw new Error(`openssl s_server did not listen on ${address}:5061`);
}

describe.skipIf(!openssl)('certificates sent beside the path, by openssl s_server', () => {
  let lab: RunningLab | undefined;
  const servers: ChildProcess[] = [];
  let run: FedcheckRun;
  let nagios: FedcheckRun;
  const addresses = Object.fromEntries(Object.keys(SERVERS).map((domain) => [domain, `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`])) as Record<Domain, string>;

  beforeAll(async () => {
    const zones = Object.entries(addresses).map(([domain, address]) =>
      [
        `$ORIGIN ${domain}.`,
        '$TTL 3600',
        '@ IN SOA ns1 hostmaster 2026112601 3600 600 1209600 300',
        '@ IN NS ns1',
        'ns1 IN A {{LAB_NS}}',
        '_sipfederationtls._tcp IN SRV 10 10 5061 sip',
        `sip IN A ${address}`,
        '',
      ].join('\n'),
    );
    lab = await startLab({ zones });
    for (const [domain, profile] of Object.entries(SERVERS) as [Domain, (typeof SERVERS)[Domain]][]) {
      const issued = certificateForProfile(lab.pki, profile, [`sip.${domain}`]);
      servers.push(await startSServer(openssl!, addresses[domain], issued.certPem, issued.chainPem.slice(issued.certPem.length), issued.keyPem));
    }
    const ca = await writeTemporaryFile('lab-root.pem', lab.rootPem);
    run = await runFedcheck([...Object.keys(SERVERS), '--resolver', lab.resolverArgument, '--ca', ca, '--json']);
    const saved = await writeTemporaryFile('extra-certificates.json', run.stdout);
    nagios = await runFedcheck(['--replay', saved, '--format', 'nagios']);
  }, 60_000);

  afterAll(async () => {
    for (const server of servers) server.kill();
    await lab?.close();
  });

  const findings = (domain: Domain): Finding[] => run.json?.targets.find((target) => target.domain === domain)?.findings ?? [];
  const codes = (domain: Domain, check: string) => findings(domain).filter((finding) => finding.check === check).map((finding) => finding.code);

  it.each(Object.keys(SERVERS) as Domain[])('%s: judges the path, reports the extra certificate, fails nothing for it', (domain) => {
    expect(run.stderr).toBe('');
    const probe = run.json!.targets.find((target) => target.domain === domain)!.observations.tls[0]!;
    expect(probe.chain).toHaveLength(3);
    expect(probe.trust).toMatchObject({ verdict: 'trusted', path: [0, 1] });
    expect(codes(domain, 'cert-trust')).toEqual(['cert-trust.pass', 'cert-trust.not-on-path']);
    expect(codes(domain, 'cert-validity')).toEqual(['cert-validity.pass']);
    expect(codes(domain, 'cert-key')).toEqual(['cert-key.pass']);
    expect(codes(domain, 'cert-signature')).toEqual(['cert-signature.pass']);
  });

  it('warns (exit 1), and the Nagios days figure is the path\'s, consistent with that state', () => {
    expect(run.code).toBe(1);
    expect(nagios.stdout).toMatch(/^FEDCHECK WARNING - /);
    for (const target of run.json!.targets) {
      const probe = target.observations.tls[0]!;
      const days = Math.min(...validationPath(probe).certificates.map((certificate) => daysLeft(certificate.notAfter, run.json!.startedAt)!));
      expect(days).toBeGreaterThan(300);
      expect(nagios.stdout).toContain(`'${target.domain} ${probe.address}:5061 days'=${days};`);
    }
  });
});
