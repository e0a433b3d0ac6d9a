import { randomUUID } from 'node:crypto';

/** The id of a job a command starts (the device reports under it). */
export const newJobId = (): string => randomUUID();
