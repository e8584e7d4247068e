// cert-consistent: all federation peers of one SRV target present the same leaf certificate.
// One finding per target host (normally one: the SRV target Microsoft selects).
import type { Finding } from '../model/findings.js';
import type { CertificateInfo, TlsProbeObservation } from '../model/observations.js';
import { certificateLabel } from './shared/certificates.js';
import { findingBuilder } from './shared/findings.js';
import { peerEndpoint } from '../model/ip.js';
import { NO_PEERS_CODES, judgeFederationPeers } from './shared/peers.js';
import { certificateUnavailable } from './shared/tls-session.js';
import { isoInstant } from './shared/validity.js';
import { askPartner, isPartner } from './shared/wording.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'cert-consistent',
  title: 'Every peer presents the same certificate',
  severity: 'warn',
  roles: ['local', 'partner'],
  rule: 'All addresses of the SRV target present the same leaf certificate (same SHA-256 fingerprint).',
  impact:
    'Microsoft\'s edge may connect to any of the addresses. A peer left with the old certificate after a renewal works until that certificate expires or is judged differently, then federation fails intermittently — a classic outage that is hard to trace.',
  source: 'Cisco Expressway cluster deployment (each peer holds its own server certificate); DESIGN §2',
  remediation: 'Install the current certificate (with its chain) on every Expressway-E peer of the cluster.',
  codes: {
    pass: { status: 'pass', summary: 'Every peer that presented a certificate presents the same one.' },
    'single-peer': { status: 'pass', summary: 'The target has a single peer: nothing to compare.' },
    differ: { status: 'warn', summary: 'The peers present different certificates.' },
    'not-compared': { status: 'skip', summary: 'Fewer than two peers presented a certificate.' },
    ...NO_PEERS_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

interface CertificateGroup {
  certificate: CertificateInfo;
  peers: string[];
}

function fingerprintKey(certificate: CertificateInfo): string {
  return certificate.fingerprintSha256.replace(/:/g, '').toUpperCase();
}

function describeCertificate(certificate: CertificateInfo): string {
  const expires = Number.isNaN(Date.parse(certificate.notAfter)) ? certificate.notAfter : isoInstant(Date.parse(certificate.notAfter));
  return `${certificateLabel(certificate)} (serial ${certificate.serialNumber}, expires ${expires})`;
}

function byExpiry(a: CertificateGroup, b: CertificateGroup): number {
  const difference = (Date.parse(a.certificate.notAfter) || 0) - (Date.parse(b.certificate.notAfter) || 0);
  return difference !== 0 ? difference : a.peers[0]!.localeCompare(b.peers[0]!);
}

function judgeHost(context: CheckContext, host: string, probes: TlsProbeObservation[]): Finding {
  const groups = new Map<string, CertificateGroup>();
  const notCompared: string[] = [];
  for (const probe of probes) {
    const leaf = probe.chain[0];
    if (leaf === undefined) {
      notCompared.push(certificateUnavailable(probe, 'it was not compared') ?? `${peerEndpoint(probe)} sent no certificate, so it was not compared.`);
      continue;
    }
    const key = fingerprintKey(leaf);
    const group = groups.get(key);
    if (group) group.peers.push(peerEndpoint(probe));
    else groups.set(key, { certificate: leaf, peers: [peerEndpoint(probe)] });
  }
  const compared = [...groups.values()].reduce((count, group) => count + group.peers.length, 0);
  const skipped = notCompared.length > 0 ? ` ${notCompared.join(' ')}` : '';
  const data = {
    certificates: [...groups.values()].map((group) => ({
      fingerprintSha256: group.certificate.fingerprintSha256,
      subject: group.certificate.subject,
      serialNumber: group.certificate.serialNumber,
      notAfter: group.certificate.notAfter,
      peers: group.peers,
    })),
  };

  if (probes.length === 1) {
    const only = [...groups.values()][0];
    if (!only) return found.skip('not-compared', host, `${host} has a single peer and it presented no certificate.${skipped}`, { data });
    return found.pass(
      'single-peer',
      host,
      `${host} has a single peer (${only.peers[0]}), so there is nothing to compare: it presents ${describeCertificate(only.certificate)}.`,
      { data },
    );
  }
  if (compared < 2) {
    return found.skip(
      'not-compared',
      host,
      `Fewer than two of the ${probes.length} peers of ${host} presented a certificate, so there is nothing to compare.${skipped}`,
      { data },
    );
  }
  const sorted = [...groups.values()].sort(byExpiry);
  if (sorted.length === 1) {
    return found.pass(
      'pass',
      host,
      `All ${compared} peers of ${host} that presented a certificate present the same one: ${describeCertificate(sorted[0]!.certificate)}.${skipped}`,
      { data },
    );
  }
  const newest = sorted[sorted.length - 1]!;
  const stale = sorted.slice(0, -1).flatMap((group) => group.peers);
  const listing = sorted.map((group) => `${group.peers.join(', ')} present${group.peers.length === 1 ? 's' : ''} ${describeCertificate(group.certificate)}`);
  return found.warn(
    'differ',
    host,
    `The peers of ${host} present ${sorted.length} different certificates: ${listing.join('; ')}. ` +
      `A peer left with an older certificate after a renewal fails federation when that certificate expires or is judged differently.${skipped}`,
    isPartner(context.target)
      ? askPartner(context.target.domain, `install the same current certificate on every edge peer: ${stale.join(', ')} still present${stale.length === 1 ? 's' : ''} a different one than ${newest.peers.join(', ')}.`)
      : `Install the current certificate ${describeCertificate(newest.certificate)} on ${stale.join(', ')} (Maintenance > Security > Server certificate on each Expressway-E peer).`,
    { data },
  );
}

export const check: Check = {
  meta,
  run(context) {
    return judgeFederationPeers(context.target, found, (probes) => {
      const byHost = new Map<string, TlsProbeObservation[]>();
      for (const probe of probes) {
        const host = probe.host.toLowerCase();
        const peers = byHost.get(host);
        if (peers) peers.push(probe);
        else byHost.set(host, [probe]);
      }
      return [...byHost].map(([host, peers]) => judgeHost(context, host, peers));
    });
  },
};
