// The console shell in an organization's colours, kept accessible: the accent becomes --primary (buttons, links,
// focus rings), darkened until text in it reads at >= 5:1 on white (WCAG AA 4.5:1 with room for the 10 % tints it
// also colours); the header band uses TopColor with whichever of white or near-black text contrasts more.

type RGB = [number, number, number];

const HEX = /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const WHITE: RGB = [255, 255, 255];
const INK: RGB = [17, 24, 39];

function parse(hex: string): RGB | null {
  const m = HEX.exec(hex.trim());
  if (!m) return null;
  const h = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as RGB;
}

const css = (c: RGB) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

function luminance([r, g, b]: RGB): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return 1;
  const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
  return (hi + 0.05) / (lo + 0.05);
}

/** `hex` darkened in small steps until it reaches `min`:1 against white; null for a value that is not a colour. */
export function accessibleAccent(hex: string, min = 5): string | null {
  const c = parse(hex);
  if (!c) return null;
  for (let k = 1; k >= 0; k -= 0.04) {
    const d = c.map((v) => v * k) as RGB;
    if (contrast(css(d), css(WHITE)) >= min) return css(d);
  }
  return css([0, 0, 0]);
}

/** White or near-black, whichever reads better on `hex`. */
export function textOn(hex: string): string {
  return contrast(hex, css(WHITE)) >= contrast(hex, css(INK)) ? css(WHITE) : css(INK);
}

/** The CSS custom properties for the accent, or '' to keep Halley's own. Only parsed numbers reach the CSS. */
export function brandCss(accent: string): string {
  const a = accessibleAccent(accent);
  if (!a) return '';
  return `:root{--primary:${a};--primary-foreground:#ffffff;--ring:${a};}`;
}

export type ShellBrand = { name: string; logoUrl: string; band: { background: string; color: string } | null };

export function shellBrand(b: { ProductName: string; TopColor: string; LogoHash: string }): ShellBrand {
  const top = parse(b.TopColor) ? css(parse(b.TopColor)!) : '';
  return {
    name: b.ProductName || 'Halley',
    logoUrl: b.LogoHash ? `/shell/logo?h=${encodeURIComponent(b.LogoHash.slice(0, 64))}` : '',
    band: top ? { background: top, color: textOn(top) } : null,
  };
}
