// A bucket verdict's reason (issue 19): decide-bucket answers a catalogue key with its values (it stays pure and
// knows no language); verdict-reason.ts makes the message whose English is the stored Reason, and the report reads
// it in the reader's language; a verdict stored before ReasonKey answers its text.
import { describe, expect, it } from 'vitest';
import { decideBucket, type TBucketMemory, type TBucketRun, type TGuardSettings } from '@/lib/constellation/decide-bucket';
import { reasonMessage, verdictOf, verdictReasonIn } from '@/lib/constellation/verdict-reason';
import { apiMessage, localizeApiMessage } from '@/lib/i18n/api-messages';

const H = 3600;
const NOW = 1_800_000_000;
const guards: TGuardSettings = { unusedReports: 3, unusedSeconds: 24 * H, graceSeconds: 48 * H, quarantineSeconds: 72 * H };
const fresh: TBucketMemory = { unusedStreak: 0, unusedSince: null, quarantinedAt: null };
const run = (over: Partial<TBucketRun> = {}): TBucketRun => ({ now: NOW, references: 0, createdAt: NOW - 100 * H, complete: true, hasSource: true, deleteUnusedData: true, sweep: true, ...over });
const english = (r: TBucketRun, m: TBucketMemory = fresh) => reasonMessage(decideBucket(r, m, guards).reason).text;

describe('decide-bucket answers a key and its values', () => {
  it('each verdict names its catalogue key, with counts and hours as values', () => {
    expect(decideBucket(run({ references: 2 }), fresh, guards).reason).toEqual({ key: 'constellationReasonInUse', values: { count: 2 } });
    expect(decideBucket(run({ complete: false }), fresh, guards).reason).toEqual({ key: 'constellationReasonPartial', values: {} });
    expect(decideBucket(run({ deleteUnusedData: false }), fresh, guards).reason).toEqual({ key: 'constellationReasonDeleteOff', values: {} });
    expect(decideBucket(run({ hasSource: false }), fresh, guards).reason).toEqual({ key: 'constellationReasonNoSource', values: {} });
    expect(decideBucket(run(), fresh, guards).reason).toEqual({ key: 'constellationReasonStreak', values: { streak: 1, needed: 3 } });
    const streak: TBucketMemory = { unusedStreak: 5, unusedSince: NOW - 6 * H, quarantinedAt: null };
    expect(decideBucket(run(), streak, guards).reason).toEqual({ key: 'constellationReasonUnusedFor', values: { hours: 6, needed: 24 } });
    const long: TBucketMemory = { unusedStreak: 5, unusedSince: NOW - 30 * H, quarantinedAt: null };
    expect(decideBucket(run({ createdAt: NOW - 10 * H }), long, guards).reason).toEqual({ key: 'constellationReasonGrace', values: { hours: 48 } });
    expect(decideBucket(run(), long, guards).reason).toEqual({ key: 'constellationReasonQuarantined', values: { hours: 72 } });
    expect(decideBucket(run({ sweep: false }), long, guards)).toMatchObject({ reason: { key: 'constellationReasonWouldQuarantine', values: {} }, next: 'quarantine' });
    const quarantined: TBucketMemory = { ...long, quarantinedAt: NOW - 71.5 * H };
    expect(decideBucket(run(), quarantined, guards).reason).toEqual({ key: 'constellationReasonQuarantineLeft', values: { hours: 0.5 } });
    expect(decideBucket(run({ sweep: false }), quarantined, guards).reason).toEqual({ key: 'constellationReasonWouldDestroy', values: {} });
    expect(decideBucket(run(), { ...long, quarantinedAt: NOW - 73 * H }, guards)).toMatchObject({ state: 'deleted', reason: { key: 'constellationReasonDeleted', values: {} } });
    const overlap = { key: 'constellationOverlapServer' as const, values: { server: 'Storage server B' } };
    expect(decideBucket(run({ overlap }), long, guards).reason).toEqual({ key: 'constellationReasonOverlap', values: { overlap } });
  });

  it('the English of each (the stored Reason) reads as before', () => {
    expect(english(run({ references: 2 }))).toBe('Used by 2 storage vault(s)');
    expect(english(run())).toBe('Unused in 1 of the 3 consecutive reports needed');
    expect(english(run({ deleteUnusedData: false }))).toBe('Unused; DeleteUnusedData is off');
    expect(english(run(), { unusedStreak: 5, unusedSince: NOW - 6 * H, quarantinedAt: null })).toBe('Unused for 6 h of the 24 h needed');
    expect(english(run({ createdAt: NOW - 10 * H }), { unusedStreak: 5, unusedSince: NOW - 30 * H, quarantinedAt: null })).toBe('Created less than 48 h ago (grace window)');
    expect(english(run({ overlap: { key: 'constellationOverlapOtherOrg', values: {} } }))).toBe("Unused; another organization's Constellation also sees it, so it is never deleted");
    expect(english(run({ overlap: { key: 'constellationOverlapServer', values: { server: 'Storage server B' } } }))).toBe('Unused; the Constellation of Storage server B also sees it, so it is never deleted');
  });
});

describe('the stored verdict in the reader\'s language', () => {
  it('Reason is the English, ReasonKey renders in German and Japanese (numbers as the locale writes them)', () => {
    const m: TBucketMemory = { unusedStreak: 5, unusedSince: NOW - 30 * H, quarantinedAt: NOW - 71.5 * H };
    const v = verdictOf('quarantined', [reasonMessage(decideBucket(run(), m, guards).reason)]);
    expect(v.Reason).toBe('Quarantined: destroyed in 0.5 h unless a vault points at it again');
    const stored = JSON.parse(JSON.stringify(v));
    expect(verdictReasonIn(stored, 'en')).toBe(v.Reason);
    expect(verdictReasonIn(stored, 'de')).toBe('In Quarantäne: wird in 0,5 h vernichtet, sofern kein Tresor wieder darauf verweist');
    expect(verdictReasonIn(stored, 'ja')).toBe('隔離中:再びボールトが参照しない限り、あと 0.5 時間で破棄されます');
    const overlap = reasonMessage(decideBucket(run({ overlap: { key: 'constellationOverlapServer', values: { server: 'B' } } }), fresh, guards).reason);
    expect(localizeApiMessage(overlap, 'de')).toBe('Ungenutzt; die Constellation von B sieht ihn ebenfalls, daher wird er nie gelöscht');
  });

  it('a deletion with what its removal did and could not finish: parts joined with "; ", each translated', () => {
    const cause = apiMessage('causeTimeout');
    const v = verdictOf('deleted', [
      reasonMessage({ key: 'constellationReasonDeleted', values: {} }),
      apiMessage('constellationNoteB2KeyDeleted', { name: 'halley-alice-0011223344556677' }),
      apiMessage('constellationRemovalUnfinished'),
      apiMessage('constellationRemovalError', { target: 'Storage server B', cause }),
    ]);
    expect(v.Reason).toBe('Unused through every guard and its quarantine: deleted; B2 application key halley-alice-0011223344556677 deleted; not finished on every target (retried by the next sweep); Storage server B: the server did not answer in time');
    expect(verdictReasonIn(v, 'de')).toBe(
      'Über alle Schutzbedingungen und die Quarantäne hinweg ungenutzt: gelöscht; B2-Anwendungsschlüssel halley-alice-0011223344556677 gelöscht; nicht auf jedem Ziel abgeschlossen (der nächste Durchlauf versucht es erneut); Storage server B: der Server hat nicht rechtzeitig geantwortet',
    );
  });

  it('a verdict stored before ReasonKey answers its text in every language', () => {
    expect(verdictReasonIn({ Reason: 'Used by 1 storage vault(s)' }, 'de')).toBe('Used by 1 storage vault(s)');
  });

  it('a target Halley named (this server, a Storage Template) inside a reason: English as before, the name translated too', () => {
    const template = apiMessage('constellationTargetTemplate', { description: 'Wasabi EU' });
    expect(template.text).toBe('Storage Template: Wasabi EU');
    expect(apiMessage('constellationTargetLocal').text).toBe('This server (Storage Role buckets and users)');
    const overlap = reasonMessage(decideBucket(run({ overlap: { key: 'constellationOverlapServerUnknown', values: { server: template } } }), fresh, guards).reason);
    const v = verdictOf('unused', [overlap, apiMessage('constellationRemovalError', { target: apiMessage('constellationTargetLocal'), cause: apiMessage('causeTimeout') })]);
    expect(v.Reason).toBe(
      'Unused; Storage Template: Wasabi EU did not say whether its own Constellation also sees it, so it is never deleted; This server (Storage Role buckets and users): the server did not answer in time',
    );
    const stored = JSON.parse(JSON.stringify(v));
    expect(verdictReasonIn(stored, 'de')).toBe(
      `${localizeApiMessage(apiMessage('constellationReasonOverlap', { overlap: apiMessage('constellationOverlapServerUnknown', { server: 'Speichervorlage: Wasabi EU' }) }), 'de')}; Dieser Server (Storage-Role-Buckets und Benutzer): der Server hat nicht rechtzeitig geantwortet`,
    );
    expect(verdictReasonIn(stored, 'ja')).toContain('ストレージテンプレート: Wasabi EU');
  });
});
