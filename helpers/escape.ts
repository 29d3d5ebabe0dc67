/**
 * Learner-written text (names, titles, model ids, queries, record fields) reaches every report
 * through findings and notes. It is data: these make it inert in each format.
 */

/** For a Markdown table cell or list item: no emphasis, links, HTML, or broken rows. */
export function markdownText(text: string): string {
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]~|#!]/g, '\\$&');
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

/** One line, no control characters: a finding cannot break a table row or move a terminal's cursor. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}
