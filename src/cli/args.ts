// The command line: yargs reads it, this file turns it into validated settings. Anything wrong
// becomes a UsageError (one line, exit 3).
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import yargs from 'yargs';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_CRIT_DAYS,
  DEFAULT_IMP_PORT,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_WARN_DAYS,
  FORMATS,
  type ClientCertificate,
  type Format,
  type RunOptions,
} from '../model/options.js';
import type { DeploymentConfig } from './config.js';
import { readCaFile, readClientCertificate, readDomainsFile } from './files.js';
import { UsageError, normaliseDomain, parseInteger, parseResolver } from './input.js';

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
  | { kind: 'check'; options: RunOptions; output: OutputSettings }
  | { kind: 'replay'; file: string; output: OutputSettings; thresholds: Partial<Pick<RunOptions, 'warnDays' | 'critDays'>> }
  | { kind: 'demo'; output: OutputSettings; timeoutMs: number; sipOptions: boolean }
  | { kind: 'explain'; checkId?: string; markdown: boolean }
  | { kind: 'help'; text: string }
  | { kind: 'version' };

const USAGE = `fedcheck <domain..> [options]

Checks SIP federation between Cisco Expressway / IM and Presence and Microsoft Skype for
Business, Lync or Microsoft 365 the way the Microsoft edge sees it: the
_sipfederationtls._tcp SRV record, its target, and TLS on every Expressway-E peer.`;

function buildParser(argv: string[]) {
  return yargs(argv)
    .scriptName('fedcheck')
    .usage(USAGE)
    .command('$0 [domains..]', 'check the federation set-up of one or more SIP domains')
    .command('demo', 'start the embedded lab and check its sample deployment (no internet needed)')
    .command('explain [check]', 'explain a check, or list all checks')
    .option('resolver', { type: 'string', array: true, description: 'DNS server to ask, ip[:port] (repeatable; default: the system resolvers)' })
    .option('partner', { type: 'string', array: true, description: 'a Microsoft partner domain to check as the Expressway-E reaches it (repeatable)' })
    .option('domains-file', { type: 'string', description: 'read SIP domains from a file, one per line, # comments' })
    .option('internal-resolver', { type: 'string', array: true, description: 'DNS server of the internal view (what the Expressway-C uses), ip[:port] (repeatable)' })
    .option('imp-fqdn', { type: 'string', description: 'the Federation Routing IM/P FQDN of the IM and Presence cluster' })
    .option('imp-port', { type: 'string', description: `IM and Presence TLS peer-authentication listener port (default ${DEFAULT_IMP_PORT})` })
    .option('imp-publisher', { type: 'string', description: 'the IM and Presence publisher FQDN, which must resolve publicly' })
    .option('config', { type: 'string', description: 'deployment config file (default: fedcheck.config.json here, when present)' })
    .option('sip-options', { type: 'boolean', description: 'send a SIP OPTIONS request over each TLS connection' })
    .option('ca', { type: 'string', array: true, description: 'extra trusted CA certificates, PEM file (repeatable)' })
    .option('cert', { type: 'string', description: 'client certificate (PEM) to present in the mutual TLS handshake' })
    .option('key', { type: 'string', description: 'private key (PEM) of --cert' })
    .option('timeout', { type: 'string', description: `deadline for the whole run in ms (default ${DEFAULT_TIMEOUT_MS})` })
    .option('warn-days', { type: 'string', description: `warn when a certificate expires within this many days (default ${DEFAULT_WARN_DAYS})` })
    .option('crit-days', { type: 'string', description: `fail when a certificate expires within this many days (default ${DEFAULT_CRIT_DAYS})` })
    .option('concurrency', { type: 'string', description: `domains checked at once (default ${DEFAULT_CONCURRENCY})` })
    .option('format', { type: 'string', description: `output format: ${FORMATS.join('|')} (default human)` })
    .option('json', { type: 'boolean', description: 'same as --format json' })
    .option('output', { type: 'string', description: 'write the report to this file (atomically) instead of stdout' })
    .option('replay', { type: 'string', description: 're-judge the observations in a saved JSON report, without network access' })
    .option('markdown', { type: 'boolean', description: 'with explain: print the check reference as a Markdown table' })
    .option('strict', { type: 'boolean', description: 'warnings fail the run (exit 2)' })
    .option('color', { type: 'boolean', description: 'colour the human report (--no-color or NO_COLOR turn it off)' })
    .option('verbose', { type: 'boolean', description: 'human report: every finding in full, passes and skips included' })
    .version(false)
    .help(false)
    .option('help', { alias: 'h', type: 'boolean', description: 'show help' })
    .option('version', { type: 'boolean', description: 'show the version' })
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

/** `toStdout`: the command line said `--output -` (which yargs reads as an empty value). */
function outputSettings(args: ParsedArgs, config: DeploymentConfig | undefined, toStdout: boolean): OutputSettings {
  const formatText = single(args.format, '--format');
  if (args.json && formatText && formatText !== 'json') throw new UsageError(`--json contradicts --format ${formatText}`);
  const format = (args.json ? 'json' : formatText ?? config?.format ?? 'human') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(formatText)}`);
  // `--output -` is standard output, also to override a config file's "output".
  const fileArg = toStdout ? undefined : single(args.output, '--output');
  const file = toStdout ? undefined : fileArg ?? config?.output;
  if (file) checkOutputFolder(file, fileArg !== undefined ? '--output' : `"output" in ${config?.file}`);
  const strict = typeof args.strict === 'boolean' ? args.strict : config?.strict ?? false;
  return {
    format,
    ...(file ? { file } : {}),
    ...(typeof args.color === 'boolean' ? { color: args.color } : {}),
    strict,
    verbose: args.verbose === true,
  };
}

/** A report that cannot be written is known before the run, not after it. */
function checkOutputFolder(file: string, what: string): void {
  const folder = dirname(resolve(file));
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) throw new UsageError(`cannot write ${what} ${file}: the directory ${folder} does not exist`);
}

function thresholds(args: ParsedArgs, config?: DeploymentConfig): { warnDays?: number; critDays?: number } {
  const warnText = single(args['warn-days'], '--warn-days');
  const critText = single(args['crit-days'], '--crit-days');
  const warnDays = warnText === undefined ? config?.warnDays : parseInteger(warnText, '--warn-days', 0, 3650);
  const critDays = critText === undefined ? config?.critDays : parseInteger(critText, '--crit-days', 0, 3650);
  const effectiveWarn = warnDays ?? DEFAULT_WARN_DAYS;
  const effectiveCrit = critDays ?? DEFAULT_CRIT_DAYS;
  if (effectiveWarn < effectiveCrit) {
    const origin = (argument: string | undefined, key: string, option: string) =>
      argument !== undefined ? option : config?.[key as 'warnDays' | 'critDays'] !== undefined ? `"${key}" in ${config?.file}` : `the default ${option}`;
    throw new UsageError(
      `${origin(warnText, 'warnDays', '--warn-days')} (${effectiveWarn}) must not be less than ` +
        `${origin(critText, 'critDays', '--crit-days')} (${effectiveCrit})`,
    );
  }
  return { ...(warnDays !== undefined ? { warnDays } : {}), ...(critDays !== undefined ? { critDays } : {}) };
}

function timeout(args: ParsedArgs, config?: DeploymentConfig): number {
  const text = single(args.timeout, '--timeout');
  return text === undefined ? config?.timeoutMs ?? DEFAULT_TIMEOUT_MS : parseInteger(text, '--timeout', 100, 3_600_000);
}

/** `--config FILE`, else fedcheck.config.json in the working directory when there is one. */
async function deploymentConfig(args: ParsedArgs): Promise<DeploymentConfig | undefined> {
  // Loaded on demand: validating check ids pulls in every check, which --version need not pay for.
  const { findDefaultConfig, loadConfig } = await import('./config.js');
  const file = single(args.config, '--config') ?? findDefaultConfig(process.cwd());
  return file ? loadConfig(file) : undefined;
}

function clientCertificateOption(args: ParsedArgs, config?: DeploymentConfig): ClientCertificate | undefined {
  const certFile = single(args.cert, '--cert');
  const keyFile = single(args.key, '--key');
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('--cert and --key go together');
  if (certFile && keyFile) {
    return readClientCertificate(certFile, keyFile, { cert: '--cert file', key: '--key file' });
  }
  return config?.clientCertificate;
}

/** Command-line options override the config file, which overrides the defaults. */
function checkOptions(args: ParsedArgs, output: OutputSettings, config?: DeploymentConfig): RunOptions {
  const domainArgs = list(args.domains, 'domain');
  const domainsFile = single(args['domains-file'], '--domains-file');
  const commandLineDomains = [...domainArgs.map((d) => normaliseDomain(d)), ...(domainsFile ? readDomainsFile(domainsFile) : [])];
  const domains = commandLineDomains.length > 0 ? commandLineDomains : config?.domains ?? [];
  const partnerArgs = list(args.partner, '--partner').map((d) => normaliseDomain(d, '--partner'));
  const partners = partnerArgs.length > 0 ? partnerArgs : config?.partners ?? [];
  if (domains.length === 0 && partners.length === 0) {
    throw new UsageError('give at least one SIP domain to check, e.g. fedcheck ciscoexample.com (or fedcheck demo)');
  }
  const resolverArgs = list(args.resolver, '--resolver').map((r) => parseResolver(r));
  const internalArgs = list(args['internal-resolver'], '--internal-resolver').map((r) => parseResolver(r, '--internal-resolver'));
  const impFqdnArg = single(args['imp-fqdn'], '--imp-fqdn');
  const impFqdn = impFqdnArg !== undefined ? normaliseDomain(impFqdnArg, '--imp-fqdn') : config?.imp?.fqdn;
  // A --imp-fqdn on the command line names another cluster: the config's port and publisher
  // belong to the cluster it replaces.
  const configImp = impFqdnArg === undefined ? config?.imp : undefined;
  const impPortArg = single(args['imp-port'], '--imp-port');
  const impPort = impPortArg !== undefined ? parseInteger(impPortArg, '--imp-port', 1, 65535) : configImp?.port ?? DEFAULT_IMP_PORT;
  const publisherArg = single(args['imp-publisher'], '--imp-publisher');
  const impPublisher = publisherArg !== undefined ? normaliseDomain(publisherArg, '--imp-publisher') : configImp?.publisher;
  if ((impPortArg !== undefined || publisherArg !== undefined) && !impFqdn) {
    throw new UsageError('--imp-port and --imp-publisher go with --imp-fqdn (the Federation Routing IM/P FQDN)');
  }
  if (impFqdn && domains.length === 0) {
    throw new UsageError(
      `${impFqdnArg !== undefined ? '--imp-fqdn' : `"imp" in ${config?.file}`} needs a local SIP domain to check it with (IM and Presence serves your own domains)`,
    );
  }
  const caArgs = list(args.ca, '--ca');
  const caFiles = caArgs.length > 0 ? caArgs : config?.caFiles ?? [];
  const caCertificates = caArgs.length > 0 ? caArgs.flatMap((file) => readCaFile(file)) : config?.caCertificates ?? [];
  const clientCertificate = clientCertificateOption(args, config);
  const { warnDays, critDays } = thresholds(args, config);
  const concurrencyText = single(args.concurrency, '--concurrency');
  return {
    domains: [...new Set(domains)],
    partners: [...new Set(partners)],
    resolvers: resolverArgs.length > 0 ? resolverArgs : config?.resolvers ?? [],
    internalResolvers: internalArgs.length > 0 ? internalArgs : config?.internalResolvers ?? [],
    ...(impFqdn ? { impFqdn } : {}),
    impPort,
    ...(impPublisher ? { impPublisher } : {}),
    caFiles,
    caCertificates,
    ...(clientCertificate ? { clientCertificate } : {}),
    timeoutMs: timeout(args, config),
    warnDays: warnDays ?? DEFAULT_WARN_DAYS,
    critDays: critDays ?? DEFAULT_CRIT_DAYS,
    concurrency:
      concurrencyText === undefined ? config?.concurrency ?? DEFAULT_CONCURRENCY : parseInteger(concurrencyText, '--concurrency', 1, 1024),
    sipOptions: typeof args['sip-options'] === 'boolean' ? args['sip-options'] : config?.sipOptions ?? false,
    strict: output.strict,
    checkOverrides: config?.checkOverrides ?? {},
  };
}

export async function parseCommandLine(argv: string[]): Promise<Command> {
  const parser = buildParser(argv);
  const args = (await parser.parseAsync()) as ParsedArgs;
  const toStdout = argv.some((arg, index) => arg === '--output=-' || (arg === '--output' && argv[index + 1] === '-'));
  if (args.help) return { kind: 'help', text: await parser.getHelp() };
  if (args.version) return { kind: 'version' };
  const [command, ...rest] = args._.map(String);
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
    return { kind: 'demo', output: outputSettings(args, undefined, toStdout), timeoutMs: timeout(args), sipOptions: args['sip-options'] === true };
  }
  const replay = single(args.replay, '--replay');
  if (replay) {
    if (list(args.domains, 'domain').length > 0 || args.partner !== undefined || args.resolver !== undefined) {
      throw new UsageError('--replay re-judges a saved report: give no domains, --partner or --resolver with it');
    }
    return { kind: 'replay', file: replay, output: outputSettings(args, undefined, toStdout), thresholds: thresholds(args) };
  }
  const config = await deploymentConfig(args);
  try {
    const output = outputSettings(args, config, toStdout);
    return { kind: 'check', output, options: checkOptions(args, output, config) };
  } catch (error) {
    if (error instanceof UsageError && !args.format && !args.json && config?.format === 'nagios') error.nagios = true;
    throw error;
  }
}
