// Which self-backup archives a RetentionPolicy keeps (lib/self-backup/retention.ts).
import { describe, expect, it } from 'vitest';
import { archivesToDelete } from '../../lib/self-backup/retention';

const DAY = 86_400_000;
const now = Date.UTC(2026, 11, 5, 12);
const archives = Array.from({ length: 10 }, (_, i) => ({ name: `a${i}.zip`, size: 1, modifiedMs: now - i * DAY / 2 })); // every 12 h, a0 newest

describe('self-backup retention', () => {
  it('keeps everything without a policy, with KEEP_EVERYTHING, and with no ranges', () => {
    expect(archivesToDelete(archives, undefined, now)).toEqual([]);
    expect(archivesToDelete(archives, { Mode: 801, Ranges: [{ Type: 900, Jobs: 1 }] }, now)).toEqual([]);
    expect(archivesToDelete(archives, { Mode: 802, Ranges: [] }, now)).toEqual([]);
  });

  it('keeps the most recent N', () => {
    expect(archivesToDelete(archives, { Mode: 802, Ranges: [{ Type: 900, Jobs: 3 }] }, now)).toEqual(['a3.zip', 'a4.zip', 'a5.zip', 'a6.zip', 'a7.zip', 'a8.zip', 'a9.zip']);
  });

  it('keeps what is newer than a span, and the union of ranges', () => {
    expect(archivesToDelete(archives, { Mode: 802, Ranges: [{ Type: 901, Days: 2 }] }, now)).toEqual(['a5.zip', 'a6.zip', 'a7.zip', 'a8.zip', 'a9.zip']);
    expect(archivesToDelete(archives, { Mode: 802, Ranges: [{ Type: 901, Days: 1 }, { Type: 900, Jobs: 4 }] }, now)).toEqual(['a4.zip', 'a5.zip', 'a6.zip', 'a7.zip', 'a8.zip', 'a9.zip']);
  });

  it('keeps the first archive of each of the last N days', () => {
    const kept = archives.map((a) => a.name).filter((n) => !archivesToDelete(archives, { Mode: 802, Ranges: [{ Type: 903, Days: 3 }] }, now).includes(n));
    expect(kept).toHaveLength(3);
  });

  it('deletes nothing when a range has a type it does not know', () => {
    expect(archivesToDelete(archives, { Mode: 802, Ranges: [{ Type: 900, Jobs: 1 }, { Type: 904 }] }, now)).toEqual([]);
  });
});
