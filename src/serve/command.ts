// `fedcheck serve`: the exporter in front of the real checks. Each probe runs the same pipeline
// as a command-line check, for one domain, with the settings of the module the request names;
// the settings (trust anchors and client certificates included) were read when the command
// started, so nothing a request carries reaches a file or a shell.
import { formatEndpoint } from '../model/ip.js';
import type { ResolverAddress } from '../model/observations.js';
import type { RunOptions } from '../model/options.js';
import { runChecks } from '../pipeline/run.js';
import { UsageError } from '../cli/input.js';
import { createExporter, serveUntilSignalled, type ExporterModule, type Probe } from './server.js';

export interface ProbeModule extends ExporterModule {
  /** How the module probes every target; undefined: as a partner when the config lists it as one. */
  role?: 'local' | 'partner';
  /** The rest of a run's options; the domain and the deadline come with each request. */
  settings: Omit<RunOptions, 'domains' | 'partners' | 'timeoutMs'>;
}

export interface ServeSettings {
  listen: ResolverAddress;
  modules: ReadonlyMap<string, ProbeModule>;
  defaultModule: string;
  /** The domains that may be probed (normalised), or 'any' (`--allow-any-target`). */
  targets: ReadonlySet<string> | 'any';
  /** The config file's partners: probed as partners by a module without a role. */
  partners: ReadonlySet<string>;
  concurrency: number;
  queueLength: number;
  cacheTtlMs: number;
}

/** Runs the checks for the requested domain, as `fedcheck <domain>` (or `--partner <domain>`) would. */
export function pipelineProbe(partners: ReadonlySet<string>): Probe<ProbeModule> {
  return ({ target, module, timeoutMs, signal }) => {
    const role = module.role ?? (partners.has(target) ? 'partner' : 'local');
    const options: RunOptions = {
      ...module.settings,
      domains: role === 'local' ? [target] : [],
      partners: role === 'partner' ? [target] : [],
      timeoutMs,
    };
    // Prometheus reads statuses, never what a pass says.
    return runChecks(options, { signal, keepPassDetails: false });
  };
}

function listenFailure(error: unknown, where: string): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'EADDRINUSE'
      ? 'something else listens there'
      : code === 'EADDRNOTAVAIL'
        ? 'this machine has no such address'
        : code === 'EACCES'
          ? 'permission denied (ports below 1024 need privileges)'
          : (error as Error).message;
  return new UsageError(`cannot listen on ${where}: ${why}`);
}

/** Serves until SIGTERM or SIGINT, then finishes the probes in flight; 0 when it stopped cleanly. */
export async function serve(settings: ServeSettings, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<number> {
  const exporter = createExporter({
    probe: pipelineProbe(settings.partners),
    modules: settings.modules,
    defaultModule: settings.defaultModule,
    targets: settings.targets,
    concurrency: settings.concurrency,
    queueLength: settings.queueLength,
    cacheTtlMs: settings.cacheTtlMs,
    log,
  });
  const wanted = formatEndpoint(settings.listen.host, settings.listen.port);
  let address: { address: string; port: number };
  try {
    address = await exporter.listen(settings.listen.port, settings.listen.host);
  } catch (error) {
    throw listenFailure(error, wanted);
  }
  const targets = settings.targets === 'any' ? 'any domain (--allow-any-target)' : `${settings.targets.size} configured domain${settings.targets.size === 1 ? '' : 's'}`;
  log(
    `fedcheck serve: listening on http://${formatEndpoint(address.address, address.port)}/ ` +
      `(modules: ${[...settings.modules.keys()].join(', ')}; may probe ${targets})`,
  );
  await serveUntilSignalled(exporter, log);
  log('fedcheck serve: stopped');
  return 0;
}
