// Debian's nginx serving a folder over HTTP on a loopback port, for the tests: a web server
// fedcheck did not write, publishing CRLs the way a CA's distribution point does. It runs in the
// foreground as one process (daemon off, master_process off) with everything it writes (pid,
// temporary files) in its own temporary folder; the test adds location blocks for redirects,
// slow answers and the like.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from './files.js';
import { startOnFreePort, type ServerProcess } from './server-process.js';

/** nginx as a TLS server (an HTTPS listener: fedcheck's probes only shake hands with it). */
export interface NginxTls {
  /** Leaf first, then the chain to send. */
  certPem: string;
  keyPem: string;
  /** ssl_ciphers (OpenSSL names); default nginx's. */
  ciphers?: string;
  /** ssl_protocols; default TLSv1.2 TLSv1.3. */
  protocols?: string;
  /** ssl_prefer_server_ciphers on. */
  serverPreference?: boolean;
}

export interface RunningNginx extends ServerProcess {
  /** Publishes a file under the served folder ("/a/b.crl"). */
  publish(path: string, content: Buffer | string): void;
  url(path: string): string;
}

export function nginxBinary(): string | undefined {
  return findExecutable('nginx');
}

/**
 * @param locations nginx location blocks; {{PORT}} is replaced by the port nginx listens on
 * @param tls serve HTTPS with this certificate and cipher list instead of plain HTTP
 */
export async function startNginx(binary: string, locations = '', tls?: NginxTls): Promise<RunningNginx> {
  const address = '127.0.0.1';
  let folder = '';
  const server = await startOnFreePort(address, (port) => {
    folder = mkdtempSync(join(tmpdir(), 'fedcheck-nginx-'));
    mkdirSync(join(folder, 'www'));
    const temporary = (name: string): string => join(folder, name);
    const config = join(folder, 'nginx.conf');
    writeFileSync(
      config,
      [
        'daemon off;',
        'master_process off;',
        'worker_processes 1;',
        `pid ${temporary('nginx.pid')};`,
        'error_log stderr notice;',
        'events { worker_connections 64; }',
        'http {',
        '  access_log off;',
        `  client_body_temp_path ${temporary('body')};`,
        `  proxy_temp_path ${temporary('proxy')};`,
        `  fastcgi_temp_path ${temporary('fastcgi')};`,
        `  uwsgi_temp_path ${temporary('uwsgi')};`,
        `  scgi_temp_path ${temporary('scgi')};`,
        '  types { application/pkix-crl crl; }',
        '  default_type application/octet-stream;',
        '  server {',
        `    listen ${address}:${port}${tls ? ' ssl' : ''};`,
        ...(tls ? tlsDirectives(folder, tls) : []),
        `    root ${join(folder, 'www')};`,
        locations.replaceAll('{{PORT}}', String(port)),
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const www = folder;
    return {
      name: 'nginx',
      binary,
      // -e: the error log before the configuration is read (the default path may not be writable).
      args: ['-e', 'stderr', '-p', folder, '-c', config],
      portTaken: (log) => /Address already in use/i.test(log),
      cleanUp: () => rmSync(www, { recursive: true, force: true }),
    };
  });
  const www = join(folder, 'www');
  return {
    ...server,
    publish(path, content) {
      const target = join(www, path);
      mkdirSync(join(target, '..'), { recursive: true });
      writeFileSync(target, content);
    },
    url: (path) => `http://${address}:${server.port}${path}`,
  };
}

function tlsDirectives(folder: string, tls: NginxTls): string[] {
  const certificate = join(folder, 'server-chain.pem');
  const key = join(folder, 'server-key.pem');
  writeFileSync(certificate, tls.certPem);
  writeFileSync(key, tls.keyPem, { mode: 0o600 });
  return [
    `    ssl_certificate ${certificate};`,
    `    ssl_certificate_key ${key};`,
    `    ssl_protocols ${tls.protocols ?? 'TLSv1.2 TLSv1.3'};`,
    ...(tls.ciphers ? [`    ssl_ciphers ${tls.ciphers};`] : []),
    `    ssl_prefer_server_ciphers ${tls.serverPreference ? 'on' : 'off'};`,
  ];
}
