// The console shell's colours from an organization's branding stay readable whatever colours it chose.
import { describe, expect, it } from 'vitest';
import { accessibleAccent, brandCss, contrast, shellBrand, textOn } from '../../components/console/brand-theme';

describe('brand theme', () => {
  it('darkens a light accent until text in it reads at 5:1 on white, and keeps a dark one', () => {
    for (const c of ['#facc15', '#ffffff', '#fde68a', '#22d3ee', '#fff']) {
      const a = accessibleAccent(c)!;
      expect(contrast(a, '#ffffff')).toBeGreaterThanOrEqual(5);
    }
    expect(accessibleAccent('#1e3a8a')).toBe('#1e3a8a');
    expect(accessibleAccent('red; }')).toBeNull();
    expect(brandCss('url(x)')).toBe('');
    expect(brandCss('#1e3a8a')).toBe(':root{--primary:#1e3a8a;--primary-foreground:#ffffff;--ring:#1e3a8a;}');
  });

  it('puts the more readable of white and ink on the header band', () => {
    expect(textOn('#fde68a')).toBe('#111827');
    expect(textOn('#1e293b')).toBe('#ffffff');
    expect(shellBrand({ ProductName: 'Acme', TopColor: '#abc', LogoHash: '' })).toEqual({ name: 'Acme', logoUrl: '', band: { background: '#aabbcc', color: '#111827' } });
    expect(shellBrand({ ProductName: '', TopColor: 'bad', LogoHash: 'f'.repeat(64) }).band).toBeNull();
  });
});
