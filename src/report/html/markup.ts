// HTML built from templates that escape every interpolated value unless it is markup made by
// this module: a certificate subject, a DNS name or a server's error text can only ever be text.
import { printable } from '../text.js';

const HTML_SPECIAL = /[&<>"']/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for an HTML text node or a quoted attribute value. Control characters and bidirectional
 * overrides become visible escapes first (as in the terminal report), so a peer cannot hide or
 * reorder what the report shows.
 */
export function escapeHtml(text: string): string {
  return printable(text).replace(HTML_SPECIAL, (character) => ENTITY[character] ?? character);
}

/** Markup this module produced, safe to insert as it is. */
export class Markup {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

/** What a template accepts: markup, text (escaped), numbers, lists of these; false and nullish add nothing. */
export type Piece = Markup | string | number | boolean | null | undefined | readonly Piece[];

function render(piece: Piece): string {
  if (piece instanceof Markup) return piece.html;
  if (Array.isArray(piece)) return piece.map(render).join('');
  if (piece === null || piece === undefined || typeof piece === 'boolean') return '';
  return escapeHtml(String(piece));
}

/** A template whose values are escaped; attribute values must be quoted in the template. */
export function html(strings: TemplateStringsArray, ...values: Piece[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new Markup(out);
}
