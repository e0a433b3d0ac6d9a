// The agent's update.failed report (issue 15): the launcher's rollback note becomes a report with the
// version it rolled back from and the step (start: the new version exited; rollback: it gave itself up
// unconfirmed), and the protocol accepts exactly the four steps.
import { describe, expect, it } from 'vitest';
import { failureReport, UNCONFIRMED_EXIT_CODE } from '../../agent/self-update';
import { ZDeviceFrame } from '../../lib/live/protocol';

describe('update failure reports', () => {
  it('reads the launcher note: start for a crash, rollback for an unconfirmed version, the version without the reinstall suffix', () => {
    expect(failureReport("The update to 26.1.0 did not come up (exit code 3): rolled back to 25.9.5\n")).toEqual({
      version: '26.1.0',
      stage: 'start',
      reason: 'The update to 26.1.0 did not come up (exit code 3): rolled back to 25.9.5',
    });
    expect(failureReport(`The update to 26.1.0-r1764930000000 did not come up (exit code ${UNCONFIRMED_EXIT_CODE}): rolled back to 26.1.0`)).toMatchObject({ version: '26.1.0', stage: 'rollback' });
    expect(failureReport('something else')).toBeNull();
  });

  it('the protocol takes download, verify, start and rollback, and nothing else', () => {
    for (const stage of ['download', 'verify', 'start', 'rollback']) {
      expect(ZDeviceFrame.safeParse({ t: 'update.failed', seq: 1, version: '26.1.0', stage, reason: 'why' }).success).toBe(true);
    }
    expect(ZDeviceFrame.safeParse({ t: 'update.failed', seq: 1, version: '26.1.0', stage: 'unpack', reason: 'why' }).success).toBe(false);
    expect(ZDeviceFrame.safeParse({ t: 'update.failed', seq: 1, version: '26.1.0', stage: 'start', reason: 'x'.repeat(2001) }).success).toBe(false);
  });
});
