/**
 * Learner-written text (names, titles, model ids, queries, record fields) reaches every report
 * through findings and notes. It is data: these make it inert in each format.
 */

/**
 * For a Markdown table cell or list item: no emphasis, links (bare addresses included, which
 * GitHub would make links of), HTML, or broken rows.
 */
export function markdownText(text: string): string {
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]~|#!]/g, '\\$&')
    .replace(/:\/\//g, '&#58;//')
    .replace(/\bwww\./gi, (www) => `${www.slice(0, 3)}&#46;`);
}

/** For XML text and attribute values; characters XML 1.0 cannot carry are dropped. */
export function xmlText(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * One line, no control characters: a finding cannot break a table row, move a terminal's cursor,
 * or reorder what follows it (bidirectional overrides) or hide text (zero-width characters).
 */
export function oneLine(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
      .replace(/[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '')
  );
}

/** For HTML text and attribute values: one line, and no character that HTML reads as markup. */
export function htmlText(text: string): string {
  return xmlText(oneLine(text));
}
