// Column ids of the users table, shared by the server page (URL state) and the client table.
export const USER_COLUMNS = ['Username', 'AccountName', 'Organization', 'Emails', 'LastBackup', 'StorageUsed', 'Devices', 'ProtectedItems', 'StorageVaults', 'Quota', 'Policy', 'Status', 'CreateTime'] as const;
export type UserColumn = (typeof USER_COLUMNS)[number];
export const USER_DEFAULT_COLUMNS: UserColumn[] = ['Username', 'AccountName', 'Organization', 'LastBackup', 'StorageUsed', 'Devices', 'Policy', 'Status'];

export type TDensity = 'compact' | 'comfortable';
