// Update campaigns' pure parts: version ordering, the initial UPDATESTATUS_ of a device, the DeviceFilter
// compiler's whitelist and errors, the options and rollout parsers.
import { describe, expect, it } from 'vitest';
import { AGENT_VERSION } from '../../agent/device';
import { parseCampaignOptions, parseRollout } from '../../lib/campaigns/campaign-options';
import { compileDeviceFilter, initialStatus } from '../../lib/campaigns/device-eligibility';
import { CLIENT_VERSION, compareVersions } from '../../lib/client-builds/client-version';
import { UpdateStatus as S } from '../../lib/comet/constants';
import { SqlParams } from '../../lib/job-search/compile-search-clause';

const opts = (extra: Record<string, unknown> = {}) => parseCampaignOptions({ Active: true, ...extra });

describe('client versions', () => {
  it('the reference agent is the version the server deploys', () => {
    expect(AGENT_VERSION).toBe(CLIENT_VERSION);
  });

  it('orders dotted versions numerically, a suffixed build before its release', () => {
    expect(compareVersions('25.9.0', '25.9.6')).toBe(-1);
    expect(compareVersions('25.10.0', '25.9.6')).toBe(1);
    expect(compareVersions('25.9.6', '25.9.6')).toBe(0);
    expect(compareVersions('25.9.6-halley.1', '25.9.6')).toBe(-1);
    expect(compareVersions('25.9.6-halley.2', '25.9.6-halley.10')).toBe(-1);
    expect(compareVersions('v25.9.6', '25.9.6.0.0')).toBe(0);
  });
});

describe('initial status', () => {
  const target = '25.9.6';
  it('judges the version criteria only for devices the filter matches', () => {
    const o = opts({ UpgradeOlder: true });
    expect(initialStatus('25.9.0', true, o, target)).toBe(S.UPDATESTATUS_PENDING);
    expect(initialStatus('25.9.0', false, o, target)).toBe(S.UPDATESTATUS_INELIGIBLE);
    expect(initialStatus('25.9.6', true, o, target)).toBe(S.UPDATESTATUS_INELIGIBLE);
    expect(initialStatus('26.1.0', true, o, target)).toBe(S.UPDATESTATUS_INELIGIBLE);
    expect(initialStatus(null, true, o, target)).toBe(S.UPDATESTATUS_NOT_SEEN);
    expect(initialStatus('25.9.6', true, opts({ ReinstallCurrentVer: true }), target)).toBe(S.UPDATESTATUS_PENDING);
    expect(initialStatus('26.1.0', true, opts({ DowngradeNewer: true }), target)).toBe(S.UPDATESTATUS_PENDING);
  });
});

describe('device filter', () => {
  it('is TRUE without ApplyDeviceFilter and compiles the device fields to bind parameters', () => {
    expect(compileDeviceFilter(opts({ DeviceFilter: { RuleField: 'Nope' } }), new SqlParams()).sql).toBe('TRUE');
    const params = new SqlParams();
    const c = compileDeviceFilter(
      opts({ ApplyDeviceFilter: true, DeviceFilter: { ClauseType: 'and', ClauseChildren: [{ RuleField: 'PlatformOS', RuleOperator: 'str_eq_ci', RuleValue: 'Linux' }, { RuleField: 'OrganizationID', RuleOperator: 'str_eq', RuleValue: '' }] } }),
      params,
    );
    expect(c.sql).toContain(`d."data"->'PlatformVersion'->>'os'`);
    expect(c.sql).not.toContain('Linux');
    expect(params.values).toEqual(['Linux', '00000000-0000-0000-0000-000000000000']);
  });

  it('refuses unknown fields and operators, and job fields', () => {
    const f = (DeviceFilter: unknown) => () => compileDeviceFilter(opts({ ApplyDeviceFilter: true, DeviceFilter }), new SqlParams());
    expect(f({ RuleField: 'Colour', RuleOperator: 'str_eq', RuleValue: 'x' })).toThrow(/Unknown search field "Colour"/);
    expect(f({ RuleField: 'BackupJobDetail.Username', RuleOperator: 'str_eq', RuleValue: 'x' })).toThrow(/Unknown search field/);
    expect(f({ RuleField: 'Username', RuleOperator: 'str_like', RuleValue: 'x' })).toThrow(/Unknown search operator "str_like"/);
    expect(f({ RuleField: 'Username', RuleOperator: 'int_gt', RuleValue: '1' })).toThrow(/integer fields only/);
  });
});

describe('options and rollout', () => {
  it('defaults missing booleans to false and refuses wrong types', () => {
    expect(parseCampaignOptions({})).toMatchObject({ Active: false, UpgradeOlder: false, ApplyDeviceFilter: false, DeviceFilter: {} });
    expect(() => parseCampaignOptions({ Active: 'yes' })).toThrow(/Options/);
    expect(() => parseCampaignOptions([])).toThrow(/Options/);
  });

  it('checks the rollout bounds', () => {
    expect(parseRollout({})).toEqual({ canaryPercent: 0, batchSize: 0, failureThreshold: 0 });
    expect(parseRollout({ CanaryPercent: 10, BatchSize: 5, FailureThresholdPercent: 20 })).toEqual({ canaryPercent: 10, batchSize: 5, failureThreshold: 20 });
    expect(() => parseRollout({ CanaryPercent: 101 })).toThrow(/CanaryPercent/);
    expect(() => parseRollout({ BatchSize: -1 })).toThrow(/BatchSize/);
    expect(() => parseRollout({ FailureThresholdPercent: 200 })).toThrow(/FailureThresholdPercent/);
  });
});
