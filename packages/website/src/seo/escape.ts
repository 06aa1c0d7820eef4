const MARKUP: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => MARKUP[char] ?? char);
}

// Characters XML 1.0 does not allow at all, not even escaped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for XML content or a quoted attribute value; drops characters XML forbids. */
export function escapeXml(text: string): string {
  return text
    .replace(XML_FORBIDDEN, '')
    .replace(/[&<>"']/g, (char) => (char === "'" ? '&apos;' : (MARKUP[char] ?? char)));
}

/**
 * JSON for inside a `<script>` element. `<`, `>` and `&` only ever occur inside JSON strings, where
 * their `\u` escapes mean the same, so `</script>` or `<!--` in a business name cannot end or
 * confuse the script; U+2028/2029 are escaped for old JavaScript parsers.
 */
export function jsonForScript(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
