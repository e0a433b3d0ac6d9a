// What the object stores that speak HTTP (Halley buckets, WebDAV, Azure Blob Storage) share in reading an object.

/** The object's bytes from the answer to a GET: null when it is not there (404), `failed`'s error otherwise. */
export async function objectOrNull(res: Response, failed: (res: Response) => Promise<never>): Promise<Buffer | null> {
  if (res.status === 404) {
    // Read to the end, so the connection goes back to the pool.
    await res.arrayBuffer().catch(() => undefined);
    return null;
  }
  if (!res.ok) return failed(res);
  return Buffer.from(await res.arrayBuffer());
}
