// The version every layer reports (the SIP User-Agent, the JSON report, --version), read from package.json.
import packageJson from '../package.json' with { type: 'json' };

export const VERSION: string = packageJson.version;
