// npm run docs: rewrites the check reference in README.md from the checks' own definitions
// (the text `fedcheck explain` prints), so the two never drift. A test fails when they differ.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const readme = new URL('../README.md', import.meta.url);
const reference = execFileSync(process.execPath, [new URL('../bin/fedcheck.js', import.meta.url).pathname, 'explain', '--markdown'], { encoding: 'utf8' });
const text = readFileSync(readme, 'utf8');
const updated = text.replace(/(<!-- checks:start -->\n)[\s\S]*?(<!-- checks:end -->)/, `$1${reference}$2`);
if (updated === text) process.stdout.write('README.md check reference is up to date\n');
else {
  writeFileSync(readme, updated);
  process.stdout.write('README.md check reference rewritten\n');
}
