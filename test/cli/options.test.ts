// The table of settings drives yargs, the config file and the merge: these tests hold each of
// them to it, setting by setting, so a new entry is covered without a new test.
import { describe, expect, it } from 'vitest';
import { parseCommandLine, type Command } from '../../src/cli/args.js';
import { UsageError } from '../../src/cli/input.js';
import { SETTINGS, argumentLabel, requireWarnNotBelowCrit, setting, type Setting, type SettingName } from '../../src/cli/options.js';
import { valueFromArgument, valueFromConfig } from '../../src/cli/values.js';
import { writeTemporaryFile } from '../helpers/files.js';

const ENTRIES = Object.entries(SETTINGS) as [SettingName, Setting][];

describe('the table of settings', () => {
  it('gives every flag a help line and every setting at most one flag and one config key', () => {
    const flags = ENTRIES.flatMap(([, entry]) => (entry.flag ? [entry.flag] : []));
    const keys = ENTRIES.flatMap(([, entry]) => (entry.key ? [entry.key] : []));
    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(keys).size).toBe(keys.length);
    for (const [name, entry] of ENTRIES) {
      if (entry.flag) expect(entry.help, name).toBeTruthy();
      expect(entry.flag || entry.key || entry.positional, name).toBeTruthy();
    }
  });

  it('keeps every default inside its range', () => {
    for (const [name, entry] of ENTRIES) {
      if (entry.kind !== 'integer') continue;
      expect(entry.range, name).toBeDefined();
      if (entry.default === undefined) continue;
      const [min, max] = entry.range!;
      expect(entry.default, name).toBeGreaterThanOrEqual(min);
      expect(entry.default, name).toBeLessThanOrEqual(max);
    }
  });

  it('shows every flag in --help, with its default', async () => {
    const help = await parseCommandLine(['--help']);
    expect(help.kind).toBe('help');
    const text = (help as Extract<Command, { kind: 'help' }>).text;
    for (const [, entry] of ENTRIES) {
      if (!entry.flag) continue;
      expect(text).toContain(`--${entry.flag}`);
      if (typeof entry.default === 'number') expect(text).toContain(`(default ${entry.default})`);
    }
  });
});

describe('one range for the command line and the config file', () => {
  const integers = ENTRIES.filter(([, entry]) => entry.kind === 'integer' && entry.flag && entry.key);

  it.each(integers)('%s', (_name, entry) => {
    const [min, max] = entry.range!;
    const label = argumentLabel(entry);
    for (const accepted of [min, max]) {
      expect(valueFromArgument(entry, String(accepted), label)).toBe(accepted);
      expect(valueFromConfig(entry, accepted, entry.key!, '/')).toBe(accepted);
    }
    for (const rejected of [min - 1, max + 1]) {
      expect(() => valueFromArgument(entry, String(rejected), label)).toThrow(UsageError);
      expect(() => valueFromArgument(entry, String(rejected), label)).toThrow(label);
      expect(() => valueFromConfig(entry, rejected, entry.key!, '/')).toThrow(`"${entry.key}" must be a whole number between ${min} and ${max}`);
    }
  });
});

describe('the merge: command line over config file over default', () => {
  // A value for the config file and another for the command line, both different from the default.
  const CASES: [SettingName, { configured: unknown; argument: string[]; fromArgument: unknown }][] = [
    ['timeoutMs', { configured: 15_000, argument: ['--timeout', '20000'], fromArgument: 20_000 }],
    ['warnDays', { configured: 40, argument: ['--warn-days', '50'], fromArgument: 50 }],
    ['critDays', { configured: 7, argument: ['--crit-days', '5'], fromArgument: 5 }],
    ['concurrency', { configured: 8, argument: ['--concurrency', '4'], fromArgument: 4 }],
    ['sipOptions', { configured: true, argument: ['--no-sip-options'], fromArgument: false }],
    ['strict', { configured: true, argument: ['--no-strict'], fromArgument: false }],
    ['format', { configured: 'nagios', argument: ['--format', 'junit'], fromArgument: 'junit' }],
    ['partners', { configured: ['contoso.com'], argument: ['--partner', 'Fabrikam.com'], fromArgument: ['fabrikam.com'] }],
    ['resolvers', { configured: ['192.0.2.53'], argument: ['--resolver', '198.51.100.53:5353'], fromArgument: [{ host: '198.51.100.53', port: 5353 }] }],
  ];

  /** The merged value of the setting in a check command. */
  function valueIn(command: Command, name: SettingName): unknown {
    if (command.kind !== 'check') throw new Error(`expected a check, got ${command.kind}`);
    return name === 'format' || name === 'strict' ? command.output[name] : command.options[name as keyof typeof command.options];
  }

  it.each(CASES)('%s', async (name, { configured, argument, fromArgument }) => {
    const key = setting(name).key!;
    const bare = await writeTemporaryFile('bare.json', JSON.stringify({ domains: ['ciscoexample.com'] }));
    const withValue = await writeTemporaryFile('configured.json', JSON.stringify({ domains: ['ciscoexample.com'], [key]: configured }));
    const defaultValue = setting(name).default ?? [];
    expect(valueIn(await parseCommandLine(['--config', bare]), name)).toEqual(defaultValue);
    const fromConfig = valueIn(await parseCommandLine(['--config', withValue]), name);
    expect(fromConfig).not.toEqual(defaultValue);
    expect(valueIn(await parseCommandLine(['--config', withValue, ...argument]), name)).toEqual(fromArgument);
  });
});

describe('requireWarnNotBelowCrit', () => {
  it('accepts equal thresholds and names both sources when warn is below crit', () => {
    expect(() => requireWarnNotBelowCrit({ days: 14, label: 'a' }, { days: 14, label: 'b' })).not.toThrow();
    expect(() => requireWarnNotBelowCrit({ days: 10, label: '--warn-days' }, { days: 20, label: '"critDays" in x.json' })).toThrow(
      new UsageError('--warn-days (10) must not be less than "critDays" in x.json (20)'),
    );
  });
});
