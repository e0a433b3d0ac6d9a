// Regular expressions as Comet's clients read them: Go's RE2 syntax. The runtime has no RE2, so a pattern is
// translated into the JavaScript syntax it means and compiled there. Only what RE2 writes differently is
// translated (flag groups, (?P<name>, \Q…\E), and the compile is in non-Unicode mode, which accepts escapes such as
// \pL and \z as RE2 does: a pattern is refused only when it cannot be a regular expression at all (an unclosed
// group or class, a repeat of nothing, a bad range). JavaScript-only forms (look-arounds, back-references) pass:
// refusing them is the client's business, not the server's.

/** `pattern` with RE2's spellings replaced by their JavaScript equivalents (same structure, same groups). */
function asJavaScript(pattern: string): string {
  return (
    pattern
      // \Q…\E (or to the end): a literal text; every character of it escaped.
      .replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_m, text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'))
      // (?P<name>…) is a named group.
      .replace(/\(\?P</g, '(?<')
      // (?i) (?-s) (?imsU) set flags for the rest of the group; (?i:…) is a group with flags.
      .replace(/\(\?[imsU-]+\)/g, '')
      .replace(/\(\?[imsU-]+:/g, '(?:')
  );
}

/** True when `pattern` compiles as a (Go RE2) regular expression. */
export function isRegexPattern(pattern: string): boolean {
  try {
    new RegExp(asJavaScript(pattern));
    return true;
  } catch {
    return false;
  }
}
