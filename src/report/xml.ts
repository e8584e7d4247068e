// XML 1.0 escaping. Finding messages quote what remote servers sent, so anything may arrive:
// characters XML 1.0 cannot carry at all (NUL, ESC, lone surrogates, U+FFFE) are dropped, the
// markup characters become entities.

const NOT_XML_1_0_CHARACTER = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

export function stripIllegalXmlCharacters(text: string): string {
  return text.replace(NOT_XML_1_0_CHARACTER, '');
}

export function escapeXmlText(text: string): string {
  return stripIllegalXmlCharacters(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Also encodes whitespace that attribute-value normalisation would otherwise turn into spaces. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
