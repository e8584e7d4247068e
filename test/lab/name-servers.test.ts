// The lab's name servers: as root, on port 53 of their own 127.53.x.y addresses, named by the
// zones' NS glue; without root, no name server at all and glue where nothing answers.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDns } from '../../src/gather/dns/client.js';
import { startLab, type RunningLab } from '../../src/lab/lab.js';
import { runFedcheck } from '../helpers/fedcheck.js';

const root = process.getuid?.() === 0;
if (!root) console.warn('the lab name servers listen on port 53, which needs root: skipping their tests');
const LAB_SCRIPT = fileURLToPath(new URL('../../dist/lab.js', import.meta.url));
/** The unprivileged user Debian and most systems have. */
const NOBODY = 65534;

describe.skipIf(!root)('the lab name servers', () => {
  let lab: RunningLab;

  beforeAll(async () => {
    lab = await startLab({
      zones: ['$ORIGIN lab.test.\n$TTL 300\n@ SOA ns1 hostmaster 7 3600 600 1209600 300\n@ NS ns1\nns1 A {{LAB_NS}}\n'],
      nameServers: [{ name: 'STALE', zones: ['$ORIGIN lab.test.\n$TTL 300\n@ SOA ns1 hostmaster 6 3600 600 1209600 300\n'] }, { name: 'GONE', behaviour: 'down' }],
    });
  });

  afterAll(async () => {
    await lab?.close();
  });

  it('puts each on port 53 of its own 127.53.0-127.x address, the zones naming it as glue', async () => {
    for (const name of ['LAB_NS', 'STALE', 'GONE']) expect(lab.variables[name]).toMatch(/^127\.53\.(\d{1,3})\.\d{1,3}$/);
    expect(Number(lab.variables.LAB_NS!.split('.')[2])).toBeLessThan(128);
    const glue = await queryDns({ name: 'ns1.lab.test', type: 'A', resolver: lab.resolver, timeoutMs: 2000 });
    expect(glue.answers.map((record) => record.data)).toEqual([lab.variables.LAB_NS]);
  });

  it("serves the lab's zones from {{LAB_NS}} and a scenario's own copy from its own server", async () => {
    const serial = async (name: string) => {
      const answer = await queryDns({ name: 'lab.test', type: 'SOA', resolver: { host: lab.variables[name]!, port: 53 }, timeoutMs: 2000, recursionDesired: false });
      expect(answer.flags?.authoritative).toBe(true);
      const soa = answer.answers[0];
      return soa?.type === 'SOA' ? soa.data.serial : undefined;
    };
    expect(await serial('LAB_NS')).toBe(7);
    expect(await serial('STALE')).toBe(6);
    const gone = await queryDns({ name: 'lab.test', type: 'SOA', resolver: { host: lab.variables.GONE!, port: 53 }, timeoutMs: 2000 });
    expect(gone.error?.class).toBe('connection-refused');
  });

  it('runs without root with no name server, its glue an address where nothing answers, and fedcheck skips dns-authoritative', async () => {
    // The suite's TMPDIR is root's alone: nobody's lab writes its root certificate in a folder of its own.
    const nobodysTemporaryFolder = mkdtempSync('/tmp/fedcheck-test-nobody-');
    chmodSync(nobodysTemporaryFolder, 0o777);
    const child = spawn(process.execPath, [LAB_SCRIPT, 'demo'], {
      uid: NOBODY,
      gid: NOBODY,
      env: { ...process.env, TMPDIR: nobodysTemporaryFolder },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const started = await new Promise<{ resolver: string; caFile: string; addresses: Record<string, string> }>((resolve, reject) => {
        let buffered = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          buffered += chunk;
          const newline = buffered.indexOf('\n');
          if (newline >= 0) resolve(JSON.parse(buffered.slice(0, newline)));
        });
        child.once('exit', (code) => reject(new Error(`the lab exited ${code} before it started`)));
      });
      expect(started.addresses.LAB_NS).toBe('127.53.255.254');
      const run = await runFedcheck(['ciscoexample.com', '--resolver', started.resolver, '--ca', started.caFile, '--json']);
      const codes = run.json?.targets[0]?.findings.filter((finding) => finding.check === 'dns-authoritative').map((finding) => finding.code);
      expect(codes).toEqual(['dns-authoritative.none-reachable']);
    } finally {
      child.stdin.end();
      await exited;
      rmSync(nobodysTemporaryFolder, { recursive: true, force: true });
    }
  }, 60_000);
});
