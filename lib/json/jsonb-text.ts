// PostgreSQL prints a jsonb value (`data::text`) as JSON with a space after every ':' and ',', its numbers
// as numeric prints them ("0.0000001", "100000000000000000000000", "1.50") and its keys in jsonb's order.
// The event stream splices that text into the frames it writes, but its clients have always received
// JSON.stringify of the parsed value, byte for byte. compactJsonbText turns the one into the other without
// building the value: outside strings it drops the whitespace and rewrites a number only where JavaScript
// prints it differently; strings stay as they are (jsonb escapes exactly what JSON.stringify escapes: '"',
// '\', \b \f \n \r \t and other controls as \u00xx, lower case; it stores no \u0000 and no lone surrogate).
// Key order is the one thing that needs the value: JavaScript lists array-index keys ("0", "42") first, in
// numeric order, so an object with such a key takes the long way (parse and stringify).
import { isArrayIndexKey } from './array-index-key';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;
}

/** JSON.stringify(JSON.parse(text)) for `text`, valid JSON as PostgreSQL prints jsonb (or json), without parsing it. */
export function compactJsonbText(text: string): string {
  const n = text.length;
  let out = '';
  let from = 0; // text[from, i) is still to be copied to out
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // The closing quote is the first one not escaped (preceded by an even number of backslashes).
      let end = i;
      for (;;) {
        end = text.indexOf('"', end + 1);
        if (end < 0) throw new SyntaxError('unterminated string in JSON text');
        let k = end - 1;
        while (text.charCodeAt(k) === BACKSLASH) k--;
        if ((end - 1 - k) % 2 === 0) break;
      }
      // A key: the next character outside whitespace is ':'.
      let next = end + 1;
      while (next < n && isWhitespace(text.charCodeAt(next))) next++;
      if (text.charCodeAt(next) === COLON && isArrayIndexKey(text.slice(i + 1, end))) return JSON.stringify(JSON.parse(text));
      i = end + 1;
    } else if (isWhitespace(c)) {
      out += text.slice(from, i);
      while (i < n && isWhitespace(text.charCodeAt(i))) i++;
      from = i;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      while (end < n && isNumberChar(text.charCodeAt(end))) end++;
      const token = text.slice(i, end);
      const printed = JSON.stringify(Number(token)); // what JSON.parse reads and JSON.stringify prints (null if infinite)
      if (printed !== token) {
        out += text.slice(from, i) + printed;
        from = end;
      }
      i = end;
    } else i++;
  }
  return from === 0 ? text : out + text.slice(from);
}
