export const JOB_COLUMNS = ['Status', 'Type', 'User', 'Device', 'Item', 'Vault', 'Started', 'Duration', 'Files', 'Size', 'Uploaded', 'Downloaded', 'JobID'] as const;
export type JobColumn = (typeof JOB_COLUMNS)[number];
export const JOB_DEFAULT_COLUMNS: JobColumn[] = ['Status', 'Type', 'User', 'Device', 'Item', 'Vault', 'Started', 'Duration', 'Size', 'Uploaded'];
