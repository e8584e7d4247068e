// The exporter's defaults and the shape of a module name, in a module of their own: the command
// line's table of settings shows them in --help without loading the exporter.

/** Loopback by default: exposing the exporter is a decision, not an accident. */
export const DEFAULT_LISTEN_HOST = '127.0.0.1';
/** Prometheus's exporter port registry (9100–9999) is full; this one is fedcheck's by documentation only. */
export const DEFAULT_LISTEN_PORT = 9561;

export const EXPORTER_DEFAULTS = {
  concurrency: 8,
  queueLength: 32,
  /** Long enough for two Prometheus replicas scraping together, short against any scrape interval. */
  cacheTtlMs: 5_000,
  maxCachedResults: 1_000,
  /** Taken off Prometheus's scrape timeout, so the answer is sent before Prometheus gives up. */
  timeoutOffsetMs: 500,
  maxConnections: 1_024,
} as const;

/** What a module may be called, in the config file and in a request's `module` parameter. */
export const MODULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** The module a request without `module` gets: the config file's top-level settings. */
export const DEFAULT_MODULE = 'default';
