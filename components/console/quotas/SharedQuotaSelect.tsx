'use client';
// The vault editor's "Shared storage quota" picker: the quotas of the user's organization (loaded when the editor
// opens); "None" clears StorageLimitID. A vault naming a quota that no longer exists shows it as missing.
import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { sharedQuotaChoices } from '../../../app/(console)/settings/quotas/actions';
import { NativeSelect } from '../../ui/input';

export function SharedQuotaSelect({ username, value, onChange }: { username: string; value: string; onChange: (id: string) => void }) {
  const t = useTranslations('sharedQuotas');
  const [choices, setChoices] = useState<Array<{ id: string; description: string }> | null>(null);
  useEffect(() => {
    let live = true;
    void sharedQuotaChoices(username).then((res) => live && setChoices(res.ok ? res.data : []));
    return () => {
      live = false;
    };
  }, [username]);
  const known = choices?.some((c) => c.id === value) ?? true;
  return (
    <label className="grid gap-1 text-sm">
      <span className="font-medium">{t('vaultField')}</span>
      <NativeSelect name="StorageLimitID" value={value} disabled={choices === null} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('none')}</option>
        {value && !known && <option value={value}>{t('missing', { id: value })}</option>}
        {(choices ?? []).map((c) => (
          <option key={c.id} value={c.id}>
            {c.description ? `${c.description} (${c.id})` : c.id}
          </option>
        ))}
      </NativeSelect>
      <span className="text-xs text-muted-foreground">{t('vaultFieldHint')}</span>
    </label>
  );
}
