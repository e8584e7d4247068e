// The command line: yargs reads it, this file turns it into validated settings. Anything wrong
// becomes a UsageError (one line, exit 3).
import yargs from 'yargs';
import type { RunResult } from '../model/findings.js';
import type { ClientCertificate, Format, RunOptions } from '../model/options.js';
import type { ServeSettings } from '../serve/command.js';
import { DEFAULT_LISTEN_HOST, DEFAULT_LISTEN_PORT } from '../serve/defaults.js';
import type { DeploymentConfig } from './config.js';
import { readCaFile, readClientCertificate, readDomainsFile } from './files.js';
import { UsageError } from './input.js';
import { checkOutputTarget } from './output.js';
import {
  SETTINGS,
  argumentLabel,
  defaultOf,
  helpLine,
  requireWarnNotBelowCrit,
  setting,
  type DefaultedName,
  type SettingName,
  type Setting,
  type SettingValue,
} from './options.js';
import { keyLabel, valueFromArgument, yargsType } from './values.js';

export interface OutputSettings {
  format: Format;
  /** --output FILE; undefined = stdout. */
  file?: string;
  /** undefined = decide from the terminal and NO_COLOR. */
  color?: boolean;
  strict: boolean;
  /** --verbose: the human report shows every finding in full. */
  verbose: boolean;
}

export type Command =
  /** `implicitConfig`: the config file read from the working directory without being named. */
  | { kind: 'check'; options: RunOptions; output: OutputSettings; implicitConfig?: string; baseline?: RunResult }
  | { kind: 'replay'; file: string; output: OutputSettings; thresholds: Partial<Pick<RunOptions, 'warnDays' | 'critDays'>>; baseline?: RunResult }
  | { kind: 'demo'; output: OutputSettings; timeoutMs: number; sipOptions: boolean }
  | { kind: 'explain'; checkId?: string; markdown: boolean }
  | { kind: 'serve'; settings: ServeSettings }
  | { kind: 'help'; text: string }
  | { kind: 'version' };

const USAGE = `fedcheck <domain..> [options]

Checks SIP federation between Cisco Expressway / IM and Presence and Microsoft Skype for
Business, Lync or Microsoft 365 the way the Microsoft edge sees it: the
_sipfederationtls._tcp SRV record, its target, and TLS on every Expressway-E peer.`;

function buildParser(argv: string[]) {
  const parser = yargs(argv)
    .scriptName('fedcheck')
    .usage(USAGE)
    .command('$0 [domains..]', 'check the federation set-up of one or more SIP domains')
    .command('demo', 'start the embedded lab and check its sample deployment (no internet needed)')
    .command('explain [check]', 'explain a check, or list all checks')
    .command('serve', 'run the Prometheus exporter: GET /probe?target=<domain>[&module=<name>] checks a domain the config file lists')
    // fedcheck's own --help and --version are entries of the table.
    .version(false)
    .help(false);
  for (const entry of Object.values<Setting>(SETTINGS)) {
    if (!entry.flag) continue;
    parser.option(entry.flag, {
      type: yargsType(entry),
      ...(entry.list ? { array: true } : {}),
      ...(entry.alias ? { alias: entry.alias } : {}),
      description: helpLine(entry),
    });
  }
  return parser
    .strict()
    .parserConfiguration({ 'duplicate-arguments-array': true, 'strip-aliased': true })
    .exitProcess(false)
    .wrap(100)
    .fail((message, error) => {
      const unknown = /^Unknown arguments?: (.+)$/.exec(message ?? '');
      if (unknown) {
        const names = unknown[1]!.split(', ');
        const options = names.filter((name) => argv.some((arg) => arg === `-${name}` || arg.startsWith(`--${name}`)));
        if (options.length > 0) {
          const shown = options.map((name) => (name.length === 1 ? `-${name}` : `--${name}`));
          throw new UsageError(`unknown option ${shown.join(', ')} (fedcheck --help lists the options)`);
        }
        throw new UsageError(`unexpected argument ${names.map((name) => JSON.stringify(name)).join(', ')}`);
      }
      throw new UsageError(error?.message ?? message);
    });
}

type ParsedArgs = Record<string, unknown> & { _: (string | number)[] };

function single(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length > 1) throw new UsageError(`${option} was given more than once`);
    return single(value[0], option);
  }
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${option} needs a value`);
  return value;
}

function list(value: unknown, option: string): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.map((v) => {
    if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`${option} needs a value`);
    return v;
  });
}

/** The setting as the command line gives it, validated; undefined when it was not given. */
function fromCommandLine<N extends SettingName>(args: ParsedArgs, name: N): SettingValue<N> | undefined {
  const entry = setting(name);
  const raw = args[entry.flag ?? name];
  const label = argumentLabel(entry);
  if (entry.kind === 'boolean') return (typeof raw === 'boolean' ? raw : undefined) as SettingValue<N> | undefined;
  if (entry.list) {
    const texts = list(raw, label);
    return texts.length > 0 ? (texts.map((text) => valueFromArgument(entry, text, label)) as SettingValue<N>) : undefined;
  }
  const text = single(raw, label);
  return text === undefined ? undefined : (valueFromArgument(entry, text, label) as SettingValue<N>);
}

/** Settings the command line and a config file both give. */
type SharedName = SettingName & keyof DeploymentConfig;

interface Merged<N extends SharedName> {
  value: N extends DefaultedName ? SettingValue<N> : SettingValue<N> | undefined;
  /** Where the value came from, as a message names it: `--warn-days`, `"warnDays" in FILE`, `the default --warn-days`. */
  origin: string;
}

/** The command line over the config file over the default. */
function merged<N extends SharedName>(args: ParsedArgs, name: N, config?: DeploymentConfig): Merged<N> {
  const entry = setting(name);
  const given = fromCommandLine(args, name);
  if (given !== undefined) return { value: given as Merged<N>['value'], origin: argumentLabel(entry) };
  const configured = config?.[name];
  if (config && configured !== undefined) {
    return { value: configured as Merged<N>['value'], origin: `${keyLabel(entry.key!)} in ${config.file}` };
  }
  return { value: entry.default as Merged<N>['value'], origin: `the default ${argumentLabel(entry)}` };
}

/** `toStdout`: the command line said `--output -` (which yargs reads as an empty value). */
function outputSettings(args: ParsedArgs, config: DeploymentConfig | undefined, toStdout: boolean): OutputSettings {
  const formatText = single(args.format, '--format');
  if (args.json && formatText && formatText !== 'json') throw new UsageError(`--json contradicts --format ${formatText}`);
  const format: Format = args.json ? 'json' : merged(args, 'format', config).value;
  // `--output -` is standard output, also to override a config file's "output".
  const output = toStdout ? undefined : merged(args, 'output', config);
  if (output?.value) checkOutputTarget(output.value, output.origin);
  const color = fromCommandLine(args, 'color');
  return {
    format,
    ...(output?.value ? { file: output.value } : {}),
    ...(color !== undefined ? { color } : {}),
    strict: merged(args, 'strict', config).value,
    verbose: fromCommandLine(args, 'verbose') === true,
  };
}

function thresholds(args: ParsedArgs, config?: DeploymentConfig): { warn: Merged<'warnDays'>; crit: Merged<'critDays'> } {
  const warn = merged(args, 'warnDays', config);
  const crit = merged(args, 'critDays', config);
  requireWarnNotBelowCrit({ days: warn.value, label: warn.origin }, { days: crit.value, label: crit.origin });
  return { warn, crit };
}

/**
 * `--config FILE`; else, unless --no-config (which yargs reads as `config: false`),
 * fedcheck.config.json in the working directory when there is one: `implicit` then, as nobody
 * named it.
 */
async function deploymentConfig(args: ParsedArgs): Promise<{ config?: DeploymentConfig; implicit: boolean }> {
  const given = Array.isArray(args.config) ? args.config : [args.config];
  if (given.includes(false)) {
    if (given.some((value) => value !== false)) throw new UsageError('--config and --no-config contradict each other');
    return { implicit: false };
  }
  // Loaded on demand: validating check ids pulls in every check, which --version need not pay for.
  const { findDefaultConfig, loadConfig } = await import('./config.js');
  const named = fromCommandLine(args, 'config');
  const file = named ?? findDefaultConfig(process.cwd());
  return file ? { config: loadConfig(file), implicit: named === undefined } : { implicit: false };
}

function clientCertificateOption(args: ParsedArgs, config?: DeploymentConfig): ClientCertificate | undefined {
  const certFile = fromCommandLine(args, 'cert');
  const keyFile = fromCommandLine(args, 'key');
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('--cert and --key go together');
  if (certFile && keyFile) {
    return readClientCertificate(certFile, keyFile, { cert: '--cert file', key: '--key file' });
  }
  return config?.clientCertificate;
}

/** Command-line options override the config file, which overrides the defaults. */
function checkOptions(args: ParsedArgs, output: OutputSettings, config?: DeploymentConfig): RunOptions {
  const domainsFile = fromCommandLine(args, 'domainsFile');
  const commandLineDomains = [...(fromCommandLine(args, 'domains') ?? []), ...(domainsFile ? readDomainsFile(domainsFile) : [])];
  const domains = commandLineDomains.length > 0 ? commandLineDomains : config?.domains ?? [];
  const partners = merged(args, 'partners', config).value ?? [];
  if (domains.length === 0 && partners.length === 0) {
    throw new UsageError('give at least one SIP domain to check, e.g. fedcheck ciscoexample.com (or fedcheck demo)');
  }
  const resolvers = merged(args, 'resolvers', config).value ?? [];
  const internalResolvers = merged(args, 'internalResolvers', config).value ?? [];
  const impFqdnArg = fromCommandLine(args, 'impFqdn');
  const impFqdn = impFqdnArg ?? config?.imp?.fqdn;
  // A --imp-fqdn on the command line names another cluster: the config's port and publisher
  // belong to the cluster it replaces.
  const configImp = impFqdnArg === undefined ? config?.imp : undefined;
  const impPortArg = fromCommandLine(args, 'impPort');
  const impPort = impPortArg ?? configImp?.port ?? defaultOf('impPort');
  const publisherArg = fromCommandLine(args, 'impPublisher');
  const impPublisher = publisherArg ?? configImp?.publisher;
  if ((impPortArg !== undefined || publisherArg !== undefined) && !impFqdn) {
    throw new UsageError('--imp-port and --imp-publisher go with --imp-fqdn (the Federation Routing IM/P FQDN)');
  }
  if (impFqdn && domains.length === 0) {
    throw new UsageError(
      `${impFqdnArg !== undefined ? '--imp-fqdn' : `"imp" in ${config?.file}`} needs a local SIP domain to check it with (IM and Presence serves your own domains)`,
    );
  }
  const caArgs = fromCommandLine(args, 'caFiles');
  const caFiles = caArgs ?? config?.caFiles ?? [];
  const caCertificates = caArgs ? caArgs.flatMap((file) => readCaFile(file)) : config?.caCertificates ?? [];
  const clientCertificate = clientCertificateOption(args, config);
  const { warn, crit } = thresholds(args, config);
  return {
    domains: [...new Set(domains)],
    partners: [...new Set(partners)],
    resolvers,
    internalResolvers,
    ...(impFqdn ? { impFqdn } : {}),
    impPort,
    ...(impPublisher ? { impPublisher } : {}),
    caFiles,
    caCertificates,
    ...(clientCertificate ? { clientCertificate } : {}),
    timeoutMs: merged(args, 'timeoutMs', config).value,
    warnDays: warn.value,
    critDays: crit.value,
    concurrency: merged(args, 'concurrency', config).value,
    sipOptions: merged(args, 'sipOptions', config).value,
    revocation: merged(args, 'revocation', config).value,
    strict: output.strict,
    checkOverrides: config?.checkOverrides ?? {},
  };
}

/** What `serve` reads from the command line; everything else comes from the config file. */
const SERVE_SETTINGS: readonly SettingName[] = ['config', 'listen', 'allowAnyTarget'];

/** The flags of the table the command line gave, by setting name. */
function givenSettings(args: ParsedArgs): SettingName[] {
  return (Object.entries(SETTINGS) as [SettingName, Setting][]).flatMap(([name, entry]) => (entry.flag && args[entry.flag] !== undefined ? [name] : []));
}

async function serveCommand(args: ParsedArgs, rest: string[]): Promise<Command> {
  if (rest.length > 0) throw new UsageError(`serve takes no domains (it probes those its config file lists), got ${rest.join(' ')}`);
  const others = givenSettings(args).filter((name) => !SERVE_SETTINGS.includes(name));
  if (others.length > 0) {
    throw new UsageError(
      `${others.map((name) => argumentLabel(setting(name))).join(', ')} ${others.length === 1 ? 'does' : 'do'} not go with serve: its settings come from the config file (--config), per module`,
    );
  }
  const listen = fromCommandLine(args, 'listen') ?? { host: DEFAULT_LISTEN_HOST, port: DEFAULT_LISTEN_PORT };
  const { config } = await deploymentConfig(args);
  const { serveSettings } = await import('./serve.js');
  return { kind: 'serve', settings: serveSettings(config, listen, fromCommandLine(args, 'allowAnyTarget') === true) };
}

/** --baseline FILE, read and validated before the run: a bad file must not cost a whole run first. */
async function baselineReport(args: ParsedArgs): Promise<{ baseline?: RunResult }> {
  const file = fromCommandLine(args, 'baseline');
  if (file === undefined) return {};
  const { readSavedReport } = await import('./saved-report.js');
  return { baseline: await readSavedReport(file, '--baseline') };
}

export async function parseCommandLine(argv: string[]): Promise<Command> {
  const parser = buildParser(argv);
  const args = (await parser.parseAsync()) as ParsedArgs;
  const toStdout = argv.some((arg, index) => arg === '--output=-' || (arg === '--output' && argv[index + 1] === '-'));
  if (args.help) return { kind: 'help', text: await parser.getHelp() };
  if (args.version) return { kind: 'version' };
  const [command, ...rest] = args._.map(String);
  if (command === 'serve') return serveCommand(args, rest);
  const serveOnly = givenSettings(args).filter((name) => SERVE_SETTINGS.includes(name) && name !== 'config');
  if (serveOnly.length > 0) throw new UsageError(`${serveOnly.map((name) => argumentLabel(setting(name))).join(', ')} go${serveOnly.length === 1 ? 'es' : ''} with serve`);
  if (command === 'explain') {
    if (rest.length > 0) throw new UsageError(`explain takes one check id, got ${[args.check, ...rest].join(' ')}`);
    const checkId = typeof args.check === 'string' ? args.check : undefined;
    const markdown = args.markdown === true;
    if (markdown && checkId) throw new UsageError('explain --markdown prints the whole reference: give no check id');
    return checkId ? { kind: 'explain', checkId, markdown } : { kind: 'explain', markdown };
  }
  if (args.markdown) {
    throw new UsageError('--markdown goes with explain');
  }
  if (command === 'demo') {
    if (rest.length > 0) throw new UsageError(`demo takes no domains, got ${rest.join(' ')}`);
    if (args.baseline !== undefined) throw new UsageError('--baseline goes with a check or --replay, not with the demo (its lab is new every time)');
    return {
      kind: 'demo',
      output: outputSettings(args, undefined, toStdout),
      timeoutMs: merged(args, 'timeoutMs').value,
      sipOptions: merged(args, 'sipOptions').value,
    };
  }
  const replay = fromCommandLine(args, 'replay');
  if (replay) {
    if (list(args.domains, 'domain').length > 0 || args.partner !== undefined || args.resolver !== undefined) {
      throw new UsageError('--replay re-judges a saved report: give no domains, --partner or --resolver with it');
    }
    const output = outputSettings(args, undefined, toStdout);
    // Thresholds the command line leaves out come from the report, so they are judged together there.
    const warnDays = fromCommandLine(args, 'warnDays');
    const critDays = fromCommandLine(args, 'critDays');
    return {
      kind: 'replay',
      file: replay,
      output,
      thresholds: { ...(warnDays !== undefined ? { warnDays } : {}), ...(critDays !== undefined ? { critDays } : {}) },
      ...(await baselineReport(args)),
    };
  }
  const { config, implicit } = await deploymentConfig(args);
  try {
    const output = outputSettings(args, config, toStdout);
    const options = checkOptions(args, output, config);
    return { kind: 'check', output, options, ...(implicit && config ? { implicitConfig: config.file } : {}), ...(await baselineReport(args)) };
  } catch (error) {
    if (error instanceof UsageError && !args.format && !args.json && config?.format === 'nagios') error.nagios = true;
    throw error;
  }
}
