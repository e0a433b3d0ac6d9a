// One protected item and its backup rules at a time (Comet 23.x's item editor endpoints), for admins
// (TargetUser within their scope) and for end users on their own profile. Each save is a whole-profile save.
import { deleteProtectedItem } from '../../protected-items/delete-protected-item';
import { getProtectedItem } from '../../protected-items/get-protected-item';
import { setProtectedItem } from '../../protected-items/set-protected-item';
import { p } from '../params';
import { defineEndpoint } from '../registry';

type Obj = Record<string, unknown>;

export const protectedItemEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/get-protected-item-with-backup-rules',
    method: 'AdminGetProtectedItemWithBackupRules',
    summary: "Get a user's Protected Item, the Backup Rules that back it up, and the profile hash",
    auth: 'admin',
    params: { TargetUser: p.string(), SourceID: p.string() },
    returns: 'ProtectedItemWithBackupRulesResponse',
    handler: ({ actor, params }) => getProtectedItem({ actor, username: params.TargetUser, sourceId: params.SourceID }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/set-protected-item-with-backup-rules',
    method: 'AdminSetProtectedItemWithBackupRules',
    summary: "Create or update a user's Protected Item and replace its Backup Rules (RequireHash: the profile hash it was read with)",
    auth: 'admin',
    params: {
      TargetUser: p.string(),
      SourceID: p.string(),
      RequireHash: p.string().opt(),
      Source: p.json<Obj>('SourceConfig').opt(),
      BackupRules: p.json<Record<string, Obj>>('map[string]BackupRuleConfig').opt(),
    },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) =>
      setProtectedItem({ actor, username: params.TargetUser, sourceId: params.SourceID, requireHash: params.RequireHash, source: params.Source, backupRules: params.BackupRules }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/delete-protected-item',
    method: 'AdminDeleteProtectedItem',
    summary: "Delete a user's Protected Item and the Backup Rules that back it up",
    auth: 'admin',
    params: { TargetUser: p.string(), SourceID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) => deleteProtectedItem({ actor, username: params.TargetUser, sourceId: params.SourceID }),
  }),
  defineEndpoint({
    path: '/api/v1/user/web/get-protected-item-with-backup-rules',
    method: 'UserWebGetProtectedItemWithBackupRules',
    summary: 'End user: one of their Protected Items, its Backup Rules, and the profile hash',
    auth: 'user',
    params: { SourceID: p.string() },
    returns: 'ProtectedItemWithBackupRulesResponse',
    handler: ({ actor, params }) => getProtectedItem({ actor, sourceId: params.SourceID }),
  }),
  defineEndpoint({
    path: '/api/v1/user/web/set-protected-item-with-backup-rules',
    method: 'UserWebSetProtectedItemWithBackupRules',
    summary: "End user: create or update one of their Protected Items and replace its Backup Rules (within their policy's restrictions)",
    auth: 'user',
    params: {
      SourceID: p.string(),
      RequireHash: p.string().opt(),
      Source: p.json<Obj>('SourceConfig').opt(),
      BackupRules: p.json<Record<string, Obj>>('map[string]BackupRuleConfig').opt(),
    },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) =>
      setProtectedItem({ actor, sourceId: params.SourceID, requireHash: params.RequireHash, source: params.Source, backupRules: params.BackupRules }),
  }),
  defineEndpoint({
    path: '/api/v1/user/web/delete-protected-item',
    method: 'UserWebDeleteProtectedItem',
    summary: "End user: delete one of their Protected Items and its Backup Rules (unless their policy prevents it)",
    auth: 'user',
    params: { SourceID: p.string() },
    returns: 'CometAPIResponseMessage',
    handler: ({ actor, params }) => deleteProtectedItem({ actor, sourceId: params.SourceID }),
  }),
];
