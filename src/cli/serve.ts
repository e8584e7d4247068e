// `fedcheck serve`'s settings from the config file: each module is the top-level settings with
// the module's own keys over them (a module's key replaces the top-level one), the defaults
// filling what neither sets; the module "default" (when the file has one) is what a request
// without `module` gets. Everything is validated here, before the exporter listens.
import type { ResolverAddress } from '../model/observations.js';
import { DEFAULT_MODULE } from '../serve/defaults.js';
import type { ProbeModule, ServeSettings } from '../serve/command.js';
import type { DeploymentConfig, ModuleConfig, ProbeSettings } from './config.js';
import { UsageError } from './input.js';
import { argumentLabel, defaultOf, requireWarnNotBelowCrit, setting, type SettingName } from './options.js';
import { keyLabel } from './values.js';

/** A probe setting as the module, else the top level, else the default gives it, with where it came from. */
function chosen<K extends keyof ProbeSettings>(key: K, name: SettingName, top: ProbeSettings, module: ModuleConfig, where: { file: string; prefix: string }) {
  const ownKey = setting(name).key!;
  if (module[key] !== undefined) return { value: module[key], origin: `${keyLabel(where.prefix + ownKey)} in ${where.file}` };
  if (top[key] !== undefined) return { value: top[key], origin: `${keyLabel(ownKey)} in ${where.file}` };
  return { value: undefined, origin: `the default ${argumentLabel(setting(name))}` };
}

function probeModule(top: ProbeSettings, module: ModuleConfig, where: { file: string; prefix: string }): ProbeModule {
  const warn = chosen('warnDays', 'warnDays', top, module, where);
  const crit = chosen('critDays', 'critDays', top, module, where);
  const warnDays = warn.value ?? defaultOf('warnDays');
  const critDays = crit.value ?? defaultOf('critDays');
  requireWarnNotBelowCrit({ days: warnDays, label: warn.origin }, { days: critDays, label: crit.origin });
  const pick = <K extends keyof ProbeSettings>(key: K): ProbeSettings[K] => module[key] ?? top[key];
  const imp = pick('imp');
  // The files and the certificates read from them go together.
  const trust = module.caFiles !== undefined ? module : top;
  const clientCertificate = pick('clientCertificate');
  return {
    timeoutMs: pick('timeoutMs') ?? defaultOf('timeoutMs'),
    ...(module.role ? { role: module.role } : {}),
    settings: {
      resolvers: pick('resolvers') ?? [],
      internalResolvers: pick('internalResolvers') ?? [],
      ...(imp ? { impFqdn: imp.fqdn } : {}),
      impPort: imp?.port ?? defaultOf('impPort'),
      ...(imp?.publisher ? { impPublisher: imp.publisher } : {}),
      caFiles: trust.caFiles ?? [],
      caCertificates: trust.caCertificates ?? [],
      ...(clientCertificate ? { clientCertificate } : {}),
      warnDays,
      critDays,
      concurrency: 1,
      sipOptions: pick('sipOptions') ?? defaultOf('sipOptions'),
      revocation: pick('revocation') ?? defaultOf('revocation'),
      strict: pick('strict') ?? defaultOf('strict'),
      checkOverrides: pick('checkOverrides') ?? {},
    },
  };
}

export function serveSettings(config: DeploymentConfig | undefined, listen: ResolverAddress, allowAnyTarget: boolean): ServeSettings {
  const file = config?.file ?? '';
  const top: ProbeSettings = config ?? {};
  const modules = new Map<string, ProbeModule>();
  modules.set(DEFAULT_MODULE, probeModule(top, config?.modules?.get(DEFAULT_MODULE) ?? {}, { file, prefix: `modules.${DEFAULT_MODULE}.` }));
  for (const [name, module] of config?.modules ?? []) {
    if (name !== DEFAULT_MODULE) modules.set(name, probeModule(top, module, { file, prefix: `modules.${name}.` }));
  }
  const configured = new Set([...(config?.domains ?? []), ...(config?.partners ?? [])]);
  if (!allowAnyTarget && configured.size === 0) {
    throw new UsageError(
      `serve probes only the domains its config file lists, and ${config ? `${config.file} lists none (give "domains", "partners" or "domainsFile")` : 'there is none (give --config FILE)'}; --allow-any-target lets it probe any domain`,
    );
  }
  return {
    listen,
    modules,
    defaultModule: DEFAULT_MODULE,
    targets: allowAnyTarget ? 'any' : configured,
    partners: new Set(config?.partners ?? []),
    concurrency: config?.exporterConcurrency ?? defaultOf('exporterConcurrency'),
    queueLength: config?.exporterQueueLength ?? defaultOf('exporterQueueLength'),
    cacheTtlMs: config?.exporterCacheTtlMs ?? defaultOf('exporterCacheTtlMs'),
  };
}
