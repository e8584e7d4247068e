// `node dist/lab.js <name>`: starts a named lab in its own process and prints, as one JSON line,
// how to point fedcheck at it. Used by the benchmark (the tool and the lab must not share a CPU
// queue) and handy for trying fedcheck by hand. Stops on SIGINT/SIGTERM or when stdin closes, and
// removes the root certificate file it wrote.
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_LAB } from './demo.js';
import { CERTIFICATE_PROFILES } from './certificates.js';
import { startLab, type LabEndpointSpec, type LabSpec } from './lab.js';

function sixPeerLab(): LabSpec {
  const names = ['sip.ciscoexample.com'];
  const peers = Array.from({ length: 6 }, (_, i) => `PEER${i + 1}`);
  return {
    zones: [
      `$ORIGIN ciscoexample.com.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A {{LAB_NS}}\n` +
        `_sipfederationtls._tcp IN SRV 10 10 5061 sip.ciscoexample.com.\n` +
        peers.map((peer) => `sip IN A {{${peer}}}\n`).join(''),
    ],
    endpoints: peers.map((name) => ({ name, certificate: { profile: 'good-rsa' as const, names } })),
  };
}

/**
 * Many domains, each with an SRV and two TLS peers: two shared edges that present, chosen by SNI,
 * a certificate naming the domain's SRV target, as a hosting provider's do. `namesPerCertificate`
 * 1 gives each domain its own certificate; a service provider's Expressway-E certificates carry
 * up to a hundred SIP domains each.
 */
function batchLab(count: number, namesPerCertificate: number): { spec: LabSpec; domains: string[] } {
  const domains = Array.from({ length: count }, (_, i) => `tenant${i + 1}.example`);
  const zones = domains.map(
    (domain) =>
      `$ORIGIN ${domain}.\n@ 3600 IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ 3600 IN NS ns1\nns1 3600 IN A {{LAB_NS}}\n` +
      `_sipfederationtls._tcp 3600 IN SRV 10 10 5061 sip.${domain}.\nsip 3600 IN A {{PEER1}}\nsip 3600 IN A {{PEER2}}\n`,
  );
  const names = domains.map((domain) => `sip.${domain}`);
  return {
    domains,
    spec: {
      zones,
      endpoints: ['PEER1', 'PEER2'].map((name) => ({
        name,
        // ECDSA keeps the lab's own signing (three handshakes per peer) from dominating the
        // measurement: the lab shares the machine's two cores with the tool being timed.
        certificate: { profile: 'good-ecdsa' as const, names, namesPerCertificate },
      })),
    },
  };
}

/**
 * One SIP domain per certificate profile and TLS oddity (gallery-<profile>.example), to compare
 * fedcheck's verdicts with other tools' on the same endpoints.
 */
function galleryLab(): { spec: LabSpec; domains: string[] } {
  const cases: { label: string; endpoint: LabEndpointSpec }[] = [];
  for (const profile of CERTIFICATE_PROFILES) {
    cases.push({ label: profile, endpoint: { name: '', certificate: { profile, names: [] } } });
  }
  cases.push({ label: 'tls10-only', endpoint: { name: '', certificate: { profile: 'good-rsa', names: [] }, tls: { minVersion: 'TLSv1', maxVersion: 'TLSv1' } } });
  cases.push({ label: 'legacy-accepted', endpoint: { name: '', certificate: { profile: 'good-rsa', names: [] }, tls: { minVersion: 'TLSv1' } } });
  cases.push({ label: 'mtls-required', endpoint: { name: '', certificate: { profile: 'good-rsa', names: [] }, tls: { requestClientCert: 'required' } } });
  cases.push({ label: 'cbc-only', endpoint: { name: '', certificate: { profile: 'good-rsa', names: [] }, tls: { ciphers: 'ECDHE-RSA-AES128-SHA', maxVersion: 'TLSv1.2' } } });
  const domains = cases.map(({ label }) => `gallery-${label}.example`);
  return {
    domains,
    spec: {
      zones: cases.map(
        ({ label }, index) =>
          `$ORIGIN gallery-${label}.example.\n@ 3600 IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ 3600 IN NS ns1\nns1 3600 IN A {{LAB_NS}}\n` +
          `_sipfederationtls._tcp 3600 IN SRV 10 10 5061 sip.gallery-${label}.example.\nsip 3600 IN A {{PEER${index}}}\n`,
      ),
      endpoints: cases.map(({ label, endpoint }, index) => ({
        ...endpoint,
        name: `PEER${index}`,
        ...(endpoint.certificate ? { certificate: { ...endpoint.certificate, names: [`sip.gallery-${label}.example`] } } : {}),
      })),
    },
  };
}

const [name = 'demo', countText] = process.argv.slice(2);
let spec: LabSpec;
let domains: string[];
if (name === 'demo') {
  spec = DEMO_LAB;
  domains = ['ciscoexample.com', 'exp.ciscoexample.com'];
} else if (name === 'six-peers') {
  spec = sixPeerLab();
  domains = ['ciscoexample.com'];
} else if (name === 'batch') {
  ({ spec, domains } = batchLab(Number(countText ?? 500), 1));
} else if (name === 'provider') {
  ({ spec, domains } = batchLab(Number(countText ?? 5000), 100));
} else if (name === 'gallery') {
  ({ spec, domains } = galleryLab());
} else {
  process.stderr.write(`unknown lab ${JSON.stringify(name)}: demo, six-peers, gallery, batch [count] or provider [count]\n`);
  process.exit(3);
}

const lab = await startLab(spec);
const caFile = join(tmpdir(), `fedcheck-lab-${process.pid}-root.pem`);
writeFileSync(caFile, lab.rootPem);
// The root certificate lives as long as the lab: removed however the process ends short of SIGKILL.
process.on('exit', () => rmSync(caFile, { force: true }));
const stop = async () => {
  rmSync(caFile, { force: true });
  await lab.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.stdin.on('end', stop).resume();
// Last: whoever reads this line may stop the lab at once, and the handlers must be in place.
process.stdout.write(`${JSON.stringify({ resolver: lab.resolverArgument, caFile, domains, addresses: lab.variables })}\n`);
