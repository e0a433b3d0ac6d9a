// The GroupPolicy fields a person edits in the console (components/console/policies/PolicyEditor.tsx), checked
// the same way whether they come from the console or a Comet client: the name's length, the default retention
// (mode, range types, counts) and the mandatory exclusions (OS, regular expressions). Only what can't work is
// refused: anything Comet's own types carry and a client can act on is stored as it came (fields the editor does
// not show are not looked at; their wire types are checked by the endpoint's params).
import { ExtraFileExclusionOSRestriction, RetentionMode, RetentionRangeType } from '../comet/constants';
import { checkIntField, checkOneOfField, checkRegexField, checkTextField } from '../validation/check-field';

/** Policy names: as long as a PolicyID may be. */
const POLICY_DESCRIPTION_MAX = 255;
/** Comet's "unlimited" count of a retention range (RETENTIONRANGE_MAXINT): the largest count that means anything. */
const RANGE_COUNT_MAX = 1125899906842624;
const RANGE_COUNTS = ['Jobs', 'Days', 'Weeks', 'Months', 'Years'] as const;
const RETENTION_MODES = [0, RetentionMode.RETENTIONMODE_KEEP_EVERYTHING, RetentionMode.RETENTIONMODE_DELETE_EXCEPT];
/** Every range type Comet has had, the deprecated 904 included (old policies still carry it). */
const RANGE_TYPES = [...new Set(Object.values(RetentionRangeType))].sort((a, b) => a - b);
const OS_VALUES = [...new Set(Object.values(ExtraFileExclusionOSRestriction))].sort((a, b) => a - b);

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Throws BadRequestError (apiMessage, the field named as "Description" or "Policy.<path>") for the first bad value. */
export function checkPolicyFields(policy: Obj): void {
  if (typeof policy.Description === 'string') checkTextField(policy.Description, 'Description', { max: POLICY_DESCRIPTION_MAX });
  const user = policy.Policy;
  if (!isObject(user)) return;

  const retention = user.DefaultStorageVaultRetention;
  if (isObject(retention)) {
    const where = 'Policy.DefaultStorageVaultRetention';
    if (retention.Mode !== undefined && retention.Mode !== null) checkOneOfField(retention.Mode, `${where}.Mode`, RETENTION_MODES);
    const ranges = Array.isArray(retention.Ranges) ? retention.Ranges : [];
    for (const [i, range] of ranges.entries()) {
      if (!isObject(range)) continue;
      if (range.Type !== undefined && range.Type !== null) checkOneOfField(range.Type, `${where}.Ranges[${i}].Type`, RANGE_TYPES);
      for (const count of RANGE_COUNTS) {
        if (range[count] !== undefined && range[count] !== null) checkIntField(range[count], `${where}.Ranges[${i}].${count}`, { min: 0, max: RANGE_COUNT_MAX });
      }
    }
  }

  const exclusions = Array.isArray(user.FileAndFolderMandatoryExclusions) ? user.FileAndFolderMandatoryExclusions : [];
  for (const [i, exclusion] of exclusions.entries()) {
    if (!isObject(exclusion)) continue;
    const where = `Policy.FileAndFolderMandatoryExclusions[${i}]`;
    if (exclusion.RestrictOS !== undefined && exclusion.RestrictOS !== null) checkOneOfField(exclusion.RestrictOS, `${where}.RestrictOS`, OS_VALUES);
    if (exclusion.Regex === true && typeof exclusion.Exclude === 'string') checkRegexField(exclusion.Exclude, `${where}.Exclude`);
  }
}
