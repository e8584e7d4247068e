// The one way a check makes a finding: with its id, the full code of a variant the check
// declares in its meta, its source as reference, and, for every warn and fail, the specific fix.
import type { Finding, Status } from '../../model/findings.js';
import type { CheckMeta, CodeTable } from '../types.js';

export interface FindingDetails {
  /** Machine-readable details (records, selected index, addresses…). */
  data?: Record<string, unknown>;
  /** Replaces the check's `meta.source` as the finding's reference, for a more precise source. */
  reference?: string;
  /** Advice on a pass/info/error/skip finding; warn and fail take remediation as an argument. */
  remediation?: string;
}

/** The variants of a code table declared with status `S`. */
export type VariantWith<Codes extends CodeTable, S extends Status> = {
  [Variant in keyof Codes & string]: Codes[Variant]['status'] extends S ? Variant : never;
}[keyof Codes & string];

/**
 * Makes one check's findings. Each method takes only the variants the check declares with that
 * status, so an undeclared code, or a code used with another status, does not compile. Warn and
 * fail demand remediation (the project's rule: every broken rule says exactly how to fix it).
 */
export interface FindingBuilder<Codes extends CodeTable> {
  pass: (variant: VariantWith<Codes, 'pass'>, subject: string, message: string, details?: FindingDetails) => Finding;
  info: (variant: VariantWith<Codes, 'info'>, subject: string, message: string, details?: FindingDetails) => Finding;
  warn: (
    variant: VariantWith<Codes, 'warn'>,
    subject: string,
    message: string,
    remediation: string,
    details?: FindingDetails,
  ) => Finding;
  fail: (
    variant: VariantWith<Codes, 'fail'>,
    subject: string,
    message: string,
    remediation: string,
    details?: FindingDetails,
  ) => Finding;
  /** Could not be determined (lookup SERVFAIL, timeout, …): not the subject's fault, not a pass. */
  error: (variant: VariantWith<Codes, 'error'>, subject: string, message: string, details?: FindingDetails) => Finding;
  /** Not applicable, or a prerequisite failed; the message says which. */
  skip: (variant: VariantWith<Codes, 'skip'>, subject: string, message: string, details?: FindingDetails) => Finding;
  /**
   * A finding whose status is the one its variant declares, for judgements that compute the
   * variant (the worst element of a chain). Give a warn or fail variant its fix in `details.remediation`:
   * the contract test holds every check to it.
   */
  as: (variant: keyof Codes & string, subject: string, message: string, details?: FindingDetails) => Finding;
}

/** What a shared helper needs to skip on a check's behalf: a skip variant the check declares. */
export interface Skipper<Variant extends string> {
  skip: (variant: Variant, subject: string, message: string, details?: FindingDetails) => Finding;
}

/** `<check-id>.<variant>` */
export function fullCode(checkId: string, variant: string): string {
  return `${checkId}.${variant}`;
}

export function findingBuilder<Codes extends CodeTable>(
  meta: Pick<CheckMeta<Codes>, 'id' | 'source' | 'codes'>,
): FindingBuilder<Codes> {
  // One string per code, shared by every finding that carries it: a batch makes hundreds of thousands.
  const codes = new Map(Object.keys(meta.codes).map((variant) => [variant, fullCode(meta.id, variant)]));
  const make = (
    status: Status,
    variant: string,
    subject: string,
    message: string,
    details: FindingDetails = {},
    remediation: string | undefined = details.remediation,
  ): Finding => {
    // Unreachable through the typed methods; guards `as` and casts.
    const declared = meta.codes[variant];
    if (declared === undefined || declared.status !== status) {
      throw new Error(`${meta.id} made a ${status} finding with the code ${variant}, which it declares ${declared ? `as ${declared.status}` : 'nowhere'}`);
    }
    const finding: Finding = { check: meta.id, code: codes.get(variant)!, status, subject, message };
    if (remediation !== undefined) finding.remediation = remediation;
    finding.reference = details.reference ?? meta.source;
    if (details.data !== undefined) finding.data = details.data;
    return finding;
  };
  return {
    pass: (variant, subject, message, details) => make('pass', variant, subject, message, details),
    info: (variant, subject, message, details) => make('info', variant, subject, message, details),
    warn: (variant, subject, message, remediation, details) => make('warn', variant, subject, message, details, remediation),
    fail: (variant, subject, message, remediation, details) => make('fail', variant, subject, message, details, remediation),
    error: (variant, subject, message, details) => make('error', variant, subject, message, details),
    skip: (variant, subject, message, details) => make('skip', variant, subject, message, details),
    as: (variant, subject, message, details) => make(meta.codes[variant]?.status ?? 'error', variant, subject, message, details),
  };
}
