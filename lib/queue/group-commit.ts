// Writes that come in bursts (thousands of devices connecting or leaving at once), written like a group commit:
// one write at a time, and every item that arrives while it runs goes into the next one (at most `maxItems`).
// Each caller's promise resolves with the result of the write that carried its item; a write that fails
// resolves with what `failed` makes of it (the callers never see a rejection).
export function groupCommit<T, R>(maxItems: number, write: (items: T[]) => Promise<R>, failed: (err: unknown, items: T[]) => R): (item: T) => Promise<R> {
  type Batch = { items: T[]; done: Promise<R>; resolve: (result: R) => void };
  const waiting: Batch[] = [];
  let writing = false;

  async function drain(): Promise<void> {
    writing = true;
    try {
      for (let batch = waiting.shift(); batch; batch = waiting.shift()) {
        let result: R;
        try {
          result = await write(batch.items);
        } catch (err) {
          result = failed(err, batch.items);
        }
        batch.resolve(result);
      }
    } finally {
      writing = false;
    }
  }

  return (item: T) => {
    let batch = waiting[waiting.length - 1];
    if (!batch || batch.items.length >= maxItems) {
      let resolve!: (result: R) => void;
      const done = new Promise<R>((r) => (resolve = r));
      batch = { items: [], done, resolve };
      waiting.push(batch);
    }
    batch.items.push(item);
    if (!writing) void drain();
    return batch.done;
  };
}
