// Issue 19: the texts that were still English are catalogue messages, English unchanged: the JSON syntax reason
// inside paramNotJson (the parser's position kept as data), the reasons a device does not answer, the bulk-user
// results, archive refusals (RestoreRefusedError with a message; the command line still prints its English), a
// report email's send failure, and the stored self-backup reason rendered in the reader's language.
import { describe, expect, it } from 'vitest';
import { jsonSyntaxReason } from '../../lib/api/params';
import { sendFailureReason } from '../../lib/email/deliveries';
import { apiMessage, localizeApiMessage } from '../../lib/i18n/api-messages';
import { failureCause } from '../../lib/i18n/failure-cause';
import { renderStoredMessage, storedMessage } from '../../lib/i18n/stored-message';
import { DeviceUnreachableError } from '../../lib/live/relay';
import { openLocation } from '../../lib/self-backup/locations/open-location';
import { checkVersions, RestoreRefusedError } from '../../lib/self-backup/restore-archive';

const parse = (raw: string) => {
  try {
    JSON.parse(raw);
  } catch (err) {
    return jsonSyntaxReason(raw, (err as Error).message);
  }
  throw new Error(`${raw} parsed`);
};

describe('jsonSyntaxReason', () => {
  it('keeps the parser\'s English and says where the JSON breaks in every other language', () => {
    const r = parse('{"a": 1,}');
    expect(r.text).toBe(`Expected double-quoted property name in JSON at position 8`);
    expect(r).toMatchObject({ key: 'jsonSyntaxAt', values: { position: '8' } });
    expect(localizeApiMessage(r, 'de')).toBe('die JSON-Syntax ist an Position 8 ungültig');
    expect(localizeApiMessage(r, 'fr')).toBe('la syntaxe JSON n\'est pas valide à la position 8');
  });

  it('an early end, an unexpected first character, an empty value, line and column when the parser says them', () => {
    expect(parse('[1, ').key).toBe('jsonEndsEarly');
    expect(localizeApiMessage(parse('[1, '), 'es')).toBe('el JSON termina demasiado pronto');
    const token = parse('abc');
    expect(token).toMatchObject({ key: 'jsonUnexpectedToken', values: { token: 'a' } });
    expect(localizeApiMessage(token, 'he')).toBe('תו לא צפוי ״a״');
    expect(jsonSyntaxReason('  ', 'Unexpected end of JSON input').key).toBe('jsonEmpty');
    const newer = jsonSyntaxReason('{\n x}', "Expected property name or '}' in JSON at position 3 (line 2 column 2)");
    expect(newer).toMatchObject({ key: 'jsonSyntaxAtLine', values: { position: '3', line: '2', column: '2' } });
    expect(localizeApiMessage(newer, 'nl')).toBe('de JSON-syntaxis is ongeldig op positie 3 (regel 2, kolom 2)');
    expect(jsonSyntaxReason('x', 'something new').key).toBe('jsonSyntax');
  });
});

describe('device and bulk-user texts', () => {
  it('DeviceUnreachableError: its English message, translated inside deviceNoAnswer; an unknown reason keeps its English', () => {
    const e = new DeviceUnreachableError('timed out');
    expect(e.message).toBe('timed out');
    const wrapped = apiMessage('deviceNoAnswer', { reason: e.translatable });
    expect(wrapped.text).toBe('The device did not answer (timed out)');
    expect(localizeApiMessage(wrapped, 'de')).toBe('Das Gerät hat nicht geantwortet (Zeitüberschreitung)');
    expect(localizeApiMessage(new DeviceUnreachableError('not connected').translatable, 'ja')).toBe('接続されていません');
    const other = new DeviceUnreachableError('socket hang up');
    expect(other.translatable.text).toBe('socket hang up');
    expect(localizeApiMessage(other.translatable, 'es')).toBe('dispositivo inaccesible');
  });

  it('bulk results: English as before, counts in every language', () => {
    const told = apiMessage('bulkDevicesToldToUpdate', { told: '2', count: '3' });
    expect(told.text).toBe('2 of 3 online device(s) told to update');
    expect(localizeApiMessage(told, 'de')).toBe('Zum Aktualisieren aufgefordert: 2 von 3 verbundenen Geräten');
    expect(localizeApiMessage(told, 'zh-Hant')).toBe('已通知更新：3 台線上裝置中的 2 台');
    expect(apiMessage('bulkEmailsQueued', { count: '1' }).text).toBe('1 email(s) queued');
  });
});

describe('archive refusals and stored failures', () => {
  it('RestoreRefusedError carries its catalogue message; failureCause hands it on; plain English still works', () => {
    const manifest = { formatVersion: 99, halleyVersion: '9.0.0', migrations: [] } as never;
    let err: unknown;
    try {
      checkVersions(manifest, '1.0.0');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RestoreRefusedError);
    expect((err as Error).message).toMatch(/^The archive uses format 99; this Halley reads up to \d+\. Restore it with Halley 9\.0\.0 or newer\.$/);
    const cause = failureCause(err);
    expect(cause.key).toBe('archiveFormatNewer');
    expect(localizeApiMessage(cause, 'de')).toMatch(/^Das Archiv verwendet Format 99; dieses Halley liest bis Format \d+\./);
    const plain = new RestoreRefusedError('The target database is not empty');
    expect(plain.message).toBe('The target database is not empty');
    expect(plain.translatable).toBeUndefined();
  });

  it('a self-backup reason with a far cause: stored, rendered in the reader\'s language, its cause quoted', () => {
    const reason = apiMessage('selfBackupLocationUnwritable', { reason: failureCause(new Error('disk quota exceeded')) });
    expect(reason.text).toBe('The location cannot be written: disk quota exceeded');
    const stored = JSON.parse(JSON.stringify(storedMessage([reason])));
    expect(renderStoredMessage(stored, reason.text, 'de')).toBe('Der Speicherort kann nicht beschrieben werden: gemeldeter Fehler: „disk quota exceeded“');
    expect(renderStoredMessage(null, 'old text', 'de')).toBe('old text');
  });

  it('self-backup locations refuse in catalogue messages (shown inside "The location cannot be written: …")', () => {
    const refusal = (location: Record<string, unknown>) => {
      try {
        openLocation(location as never);
      } catch (err) {
        return apiMessage('selfBackupLocationUnwritable', { reason: failureCause(err) });
      }
      throw new Error('opened');
    };
    const relative = refusal({ DestinationType: 1002, LocalcopyPath: 'backups' });
    expect(relative.text).toBe('The location cannot be written: LocalcopyPath must be an absolute path');
    expect(localizeApiMessage(relative, 'de')).toBe('Der Speicherort kann nicht beschrieben werden: LocalcopyPath muss ein absoluter Pfad sein');
    const kind = refusal({ DestinationType: 1004 });
    expect(kind.text).toBe('The location cannot be written: DestinationType 1004 is not a self-backup location Halley can write to');
    expect(localizeApiMessage(kind, 'it')).toBe('Impossibile scrivere nella posizione: DestinationType 1004 non è una posizione di autobackup in cui Halley possa scrivere');
  });

  it('a report email\'s send failure: the SMTP reply quoted, a network cause known, anything else quoted', () => {
    const smtp = sendFailureReason(Object.assign(new Error('Invalid login: 535 5.7.8 bad credentials'), { code: 'EAUTH', responseCode: 535, response: '535 5.7.8 bad credentials' }));
    expect(smtp.text).toBe('Invalid login: 535 5.7.8 bad credentials');
    expect(localizeApiMessage(smtp, 'de')).toMatch(/535 5\.7\.8 bad credentials/);
    expect(localizeApiMessage(smtp, 'de')).not.toBe(smtp.text);
    const refused = sendFailureReason(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 25 }));
    expect(refused).toMatchObject({ key: 'causeConnectionRefused', text: 'connect ECONNREFUSED 127.0.0.1:25' });
    expect(sendFailureReason(new Error('odd')).key).toBe('causeReported');
  });
});

describe('answers that succeed with words, and names Halley gives', () => {
  it('English exactly as before; every other language from the catalogue', () => {
    const english: Array<[ReturnType<typeof apiMessage>, string]> = [
      [apiMessage('campaignStarted', { version: '24.9.1' }), 'Update campaign started (target version 24.9.1)'],
      [apiMessage('dispatchQueued'), 'Queued: delivered when the device connects'],
      [apiMessage('usageBackfillRequested', { days: 30, count: 2 }), 'Back-fill of 30 day(s) requested for 2 organization(s)'],
      [apiMessage('sessionNoSecondFactor'), 'OK: this account has no second factor, the session is already complete'],
      [apiMessage('selfBackupUnfinishedRestored'), 'Not finished when the archive was written (restored server)'],
      [apiMessage('constellationTargetLocal'), 'This server (Storage Role buckets and users)'],
      [apiMessage('constellationTargetTemplate', { description: "O'Brien's S3" }), "Storage Template: O'Brien's S3"],
    ];
    for (const [m, text] of english) {
      expect(m.text).toBe(text);
      for (const locale of ['de', 'fr', 'ja', 'he'] as const) expect(localizeApiMessage(m, locale), `${m.key} in ${locale}`).not.toBe(text);
    }
    expect(localizeApiMessage(apiMessage('campaignStarted', { version: '24.9.1' }), 'de')).toBe('Update-Kampagne gestartet (Zielversion 24.9.1)');
    expect(localizeApiMessage(apiMessage('selfBackupUnfinishedRestored'), 'fr')).toBe("Non terminé lors de l'écriture de l'archive (serveur restauré)");
  });
});

