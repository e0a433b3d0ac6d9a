// An S3 bucket name (the console's self-backup form checks it in the browser too, so this file imports nothing).

/** 3–63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit. */
export function isS3BucketName(value: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value);
}
