// A tiny two-level CA run by the openssl command line in a temporary folder: a root, an
// intermediate issued by it, leaves issued by the intermediate with the CRL and OCSP URLs a test
// chooses, revocations recorded in openssl's index, CRLs made with `openssl ca -gencrl`, and
// `openssl ocsp` answering from that index. Revocation data fedcheck did not write.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from './files.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

export interface OpensslCertificate {
  certPem: string;
  keyPem: string;
  certFile: string;
  keyFile: string;
}

export interface LeafOptions {
  crlUrl?: string;
  ocspUrl?: string;
  /** Default rsa. */
  keyType?: 'rsa' | 'ec';
}

export interface CrlTimes {
  /** Default now (openssl's clock). */
  lastUpdate?: Date;
  /** Default a week after lastUpdate. */
  nextUpdate?: Date;
}

export interface OpensslCa {
  folder: string;
  root: OpensslCertificate;
  intermediate: OpensslCertificate;
  /** A leaf of the intermediate. */
  issueLeaf(name: string, options?: LeafOptions): OpensslCertificate;
  /** An OCSP responder certificate of the intermediate; without OCSPSigning when told so. */
  issueResponder(options?: { withoutOcspSigning?: boolean }): OpensslCertificate;
  revoke(certificate: OpensslCertificate, reason: 'keyCompromise' | 'superseded' | 'cessationOfOperation'): void;
  /** Records `count` made-up revoked serials in the intermediate's index: the CRL of a large CA. */
  recordRevokedSerials(count: number): void;
  /** The intermediate's CRL (DER), listing the leaves revoked so far. */
  intermediateCrl(times?: CrlTimes): Buffer;
  /** The root's CRL (DER), which covers the intermediate. */
  rootCrl(times?: CrlTimes): Buffer;
  /**
   * `openssl ocsp` answering for the intermediate's leaves on 127.0.0.1:port (the port the leaves'
   * OCSP URL names), signed by `signer` (default: the intermediate itself).
   */
  startOcspResponder(port: number, signer?: OpensslCertificate): Promise<ServerProcess>;
  /** A leaf signed with the intermediate's key outside `openssl ca`: not in its index, so OCSP says unknown. */
  issueUnrecordedLeaf(name: string, options?: LeafOptions): OpensslCertificate;
  remove(): void;
}

export function opensslAvailable(): boolean {
  return findExecutable('openssl') !== undefined;
}

const DAY_MS = 86_400_000;

export function createOpensslCa(options: { intermediateCrlUrl?: string } = {}): OpensslCa {
  const openssl = findExecutable('openssl');
  if (!openssl) throw new Error('openssl is not installed');
  const folder = mkdtempSync(join(tmpdir(), 'fedcheck-openssl-ca-'));
  const run = (args: string[]): void => {
    execFileSync(openssl, args, { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
  };
  let counter = 0;
  const file = (name: string, content: string): string => {
    const path = join(folder, name);
    writeFileSync(path, content);
    return path;
  };
  const read = (certFile: string, keyFile: string): OpensslCertificate => ({
    certPem: readFileSync(certFile, 'utf8'),
    keyPem: readFileSync(keyFile, 'utf8'),
    certFile,
    keyFile,
  });

  const database = (name: string): string => {
    const directory = join(folder, name);
    mkdirSync(join(directory, 'issued'), { recursive: true });
    writeFileSync(join(directory, 'index.txt'), '');
    writeFileSync(join(directory, 'index.txt.attr'), 'unique_subject = no\n');
    writeFileSync(join(directory, 'serial'), `${(0x1000 + Math.floor(Math.random() * 0xefff)).toString(16)}\n`);
    writeFileSync(join(directory, 'crlnumber'), '01\n');
    return file(
      `${name}.cnf`,
      [
        '[ ca ]',
        'default_ca = this_ca',
        '[ this_ca ]',
        `dir = ${directory}`,
        'database = $dir/index.txt',
        'new_certs_dir = $dir/issued',
        'serial = $dir/serial',
        'crlnumber = $dir/crlnumber',
        'certificate = $dir/ca.pem',
        'private_key = $dir/ca.key',
        'default_md = sha256',
        'default_days = 365',
        'default_crl_days = 7',
        'policy = any_name',
        'copy_extensions = none',
        'unique_subject = no',
        '[ any_name ]',
        'commonName = supplied',
        '[ req ]',
        'distinguished_name = name',
        '[ name ]',
        '',
      ].join('\n'),
    );
  };

  const newKey = (keyFile: string, keyType: 'rsa' | 'ec'): void =>
    keyType === 'ec'
      ? run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile])
      : run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyFile]);

  /** A certificate for `commonName` signed through `config` with the extension lines given. */
  const issue = (config: string, commonName: string, extensions: string[], keyType: 'rsa' | 'ec' = 'rsa'): OpensslCertificate => {
    const base = `cert-${++counter}`;
    const keyFile = join(folder, `${base}.key`);
    const certFile = join(folder, `${base}.pem`);
    newKey(keyFile, keyType);
    run(['req', '-new', '-key', keyFile, '-subj', `/CN=${commonName}`, '-out', join(folder, `${base}.csr`)]);
    const extensionFile = file(`${base}.ext`, ['[ ext ]', ...extensions, ''].join('\n'));
    run(['ca', '-batch', '-notext', '-config', config, '-in', join(folder, `${base}.csr`), '-out', certFile, '-extfile', extensionFile, '-extensions', 'ext']);
    return read(certFile, keyFile);
  };

  const rootConfig = database('root');
  newKey(join(folder, 'root', 'ca.key'), 'rsa');
  run([
    'req', '-x509', '-new', '-key', join(folder, 'root', 'ca.key'), '-subj', '/CN=openssl test root', '-days', '3650',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-out', join(folder, 'root', 'ca.pem'),
  ]);
  const root = read(join(folder, 'root', 'ca.pem'), join(folder, 'root', 'ca.key'));

  const intermediateConfig = database('intermediate');
  const intermediate = issue(rootConfig, 'openssl test intermediate', [
    'basicConstraints = critical, CA:TRUE, pathlen:0',
    'keyUsage = critical, keyCertSign, cRLSign',
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
    ...(options.intermediateCrlUrl ? [`crlDistributionPoints = URI:${options.intermediateCrlUrl}`] : []),
  ]);
  writeFileSync(join(folder, 'intermediate', 'ca.pem'), intermediate.certPem);
  writeFileSync(join(folder, 'intermediate', 'ca.key'), intermediate.keyPem);

  const crlOf = (config: string, times: CrlTimes = {}): Buffer => {
    const base = `crl-${++counter}`;
    const lastUpdate = times.lastUpdate ?? new Date();
    const nextUpdate = times.nextUpdate ?? new Date(lastUpdate.getTime() + 7 * DAY_MS);
    run(['ca', '-gencrl', '-config', config, '-crl_lastupdate', opensslTime(lastUpdate), '-crl_nextupdate', opensslTime(nextUpdate), '-out', join(folder, `${base}.pem`)]);
    run(['crl', '-in', join(folder, `${base}.pem`), '-outform', 'DER', '-out', join(folder, `${base}.der`)]);
    return readFileSync(join(folder, `${base}.der`));
  };

  return {
    folder,
    root,
    intermediate,
    issueLeaf(name, leaf = {}) {
      return issue(intermediateConfig, name, leafExtensions(name, leaf), leaf.keyType);
    },
    issueResponder(responder = {}) {
      return issue(intermediateConfig, responder.withoutOcspSigning ? 'openssl test not a responder' : 'openssl test OCSP responder', [
        'basicConstraints = CA:FALSE',
        'keyUsage = critical, digitalSignature',
        `extendedKeyUsage = ${responder.withoutOcspSigning ? 'serverAuth' : 'OCSPSigning'}`,
      ]);
    },
    revoke(certificate, reason) {
      run(['ca', '-config', intermediateConfig, '-revoke', certificate.certFile, '-crl_reason', reason]);
    },
    recordRevokedSerials(count) {
      const lines: string[] = [];
      for (let i = 0; i < count; i++) {
        // openssl's index: status, expiry, revocation date and reason, serial (hex), file, subject.
        lines.push(`R\t301231000000Z\t250101000000Z,superseded\t${(0x5000000 + i).toString(16).toUpperCase().padStart(8, '0')}\tunknown\t/CN=made-up ${i}\n`);
      }
      appendFileSync(join(folder, 'intermediate', 'index.txt'), lines.join(''));
    },
    intermediateCrl: (times) => crlOf(intermediateConfig, times),
    rootCrl: (times) => crlOf(rootConfig, times),
    startOcspResponder(port, signer = intermediate) {
      return startServerProcess({
        name: 'openssl ocsp',
        binary: openssl,
        args: ['ocsp', '-index', join(folder, 'intermediate', 'index.txt'), '-port', String(port), '-CA', intermediate.certFile,
          '-rsigner', signer.certFile, '-rkey', signer.keyFile, '-ndays', '1', '-ignore_err'],
        cwd: folder,
        readyWhen: (log) => log.includes('waiting for OCSP client connections'),
        address: '127.0.0.1',
        port,
      });
    },
    issueUnrecordedLeaf(name, leaf = {}) {
      const base = `unrecorded-${++counter}`;
      const keyFile = join(folder, `${base}.key`);
      const certFile = join(folder, `${base}.pem`);
      newKey(keyFile, leaf.keyType ?? 'rsa');
      run(['req', '-new', '-key', keyFile, '-subj', `/CN=${name}`, '-out', join(folder, `${base}.csr`)]);
      const extensionFile = file(`${base}.ext`, ['[ ext ]', ...leafExtensions(name, leaf), ''].join('\n'));
      run(['x509', '-req', '-in', join(folder, `${base}.csr`), '-CA', intermediate.certFile, '-CAkey', intermediate.keyFile,
        '-set_serial', '0x7e57', '-days', '30', '-extfile', extensionFile, '-extensions', 'ext', '-out', certFile]);
      return read(certFile, keyFile);
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

function leafExtensions(name: string, leaf: LeafOptions): string[] {
  return [
    'basicConstraints = CA:FALSE',
    'keyUsage = critical, digitalSignature, keyEncipherment',
    'extendedKeyUsage = serverAuth, clientAuth',
    `subjectAltName = DNS:${name}`,
    'authorityKeyIdentifier = keyid',
    ...(leaf.crlUrl ? [`crlDistributionPoints = URI:${leaf.crlUrl}`] : []),
    ...(leaf.ocspUrl ? [`authorityInfoAccess = OCSP;URI:${leaf.ocspUrl}`] : []),
  ];
}

/** YYYYMMDDHHMMSSZ, as `openssl ca -crl_lastupdate` takes it. */
function opensslTime(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}
