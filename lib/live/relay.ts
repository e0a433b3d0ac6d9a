// The live-connection relay: which web node holds which device (presence in Redis), and commands from
// any node to the device through Redis pub/sub. One relay per process, kept on globalThis because the
// console's server actions run the endpoint registry inside Next's bundle, a second copy of this module
// in the same process: both copies must see the sockets that server.ts accepted.
//
// Redis keys (prefix halley:live:):
//   conn      hash  connectionId -> ConnInfo JSON        dev   hash  accountId/deviceId -> connectionId
//   lobby     hash  connectionId -> LobbyInfo JSON       nodes set   node ids that hold sockets
//   alive:<n> string with a TTL, refreshed by node n     nodeconns:<n> / nodelobby:<n>  sets of its ids
//   queue:<accountId>/<deviceId>  list of queued commands (Halley extension), delivered on reconnect
// A node that dies stops refreshing alive:<n>; its sockets stop being listed at once and a sweeper on
// any other node removes them and reports the disconnects.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedis } from '../queue/connection';
import { log } from '../log';
import { apiMessageWithEnglish, type ApiMessage } from '../i18n/api-messages';
import type { TCommand, TCommandResult } from './protocol';

const P = 'halley:live:';
const ALIVE_TTL_MS = 15_000;
const ALIVE_REFRESH_MS = 5_000;
const SWEEP_MS = 10_000;
/** Queued commands are kept this long (seconds). */
export const QUEUE_TTL_SECONDS = 7 * 24 * 3600;
export const QUEUE_MAX = 100;

export type ConnInfo = {
  connectionId: string;
  node: string;
  tenantId: string;
  accountId: string;
  username: string;
  deviceId: string;
  friendlyName: string;
  version: string;
  platform: string;
  platformVersion: Record<string, string>;
  timezone: string;
  ip: string;
  connectedAt: number;
  allowsFilenames: boolean;
};

export type LobbyInfo = {
  connectionId: string;
  node: string;
  tenantId: string;
  deviceId: string;
  friendlyName: string;
  version: string;
  platform: string;
  platformVersion: Record<string, string>;
  timezone: string;
  ip: string;
  host: string;
  connectedAt: number;
};

/** A socket held by this process. */
export type LocalConnection = {
  /** Set on a registered device's connection (not on a lobby one). */
  readonly tenantId?: string;
  readonly accountId?: string;
  send(cmd: TCommand, timeoutMs: number): Promise<TCommandResult>;
  close(code: number, reason: string): void;
};

/** The reasons a device does not answer, by their English words (which nodes also send each other in a reply). */
const UNREACHABLE_REASONS: Record<string, 'notConnected' | 'timedOut' | 'disconnected'> = { 'not connected': 'notConnected', 'timed out': 'timedOut', disconnected: 'disconnected' };

/** A device that cannot be reached: `message` is the reason in English, `translatable` the same in any language. */
export class DeviceUnreachableError extends Error {
  readonly translatable: ApiMessage;
  constructor(reason: string) {
    super(reason);
    this.translatable = apiMessageWithEnglish('deviceUnreachable', { reason: UNREACHABLE_REASONS[reason] ?? 'other' }, reason);
  }
}

/** One connection's answer in a batch: `i` is its index in the batch's connectionIds. */
type TBatchAnswer = { i: number; result?: TCommandResult; error?: string };

type Wire =
  | { kind: 'cmd'; reqId: string; from: string; connectionId: string; cmd: TCommand; timeoutMs: number }
  | { kind: 'reply'; reqId: string; result?: TCommandResult; error?: string }
  // The same command to many connections of the receiving node (an update campaign's chunk): one message per
  // node instead of one per device, and the answers come back a few dozen per message.
  | { kind: 'cmds'; batchId: string; from: string; connectionIds: string[]; cmd: TCommand; timeoutMs: number }
  | { kind: 'replies'; batchId: string; answers: TBatchAnswer[] };

/** A batch's answers are published when this many are collected, or this long after the first one waited. */
const REPLIES_PER_MESSAGE = 200;
const REPLIES_FLUSH_MS = 10;

/** Called by the node that removes a dead node's sockets (for the disconnect events). */
export type SweepHandler = (conns: ConnInfo[], lobby: LobbyInfo[]) => Promise<void>;

export type Relay = ReturnType<typeof createRelay>;

function createRelay() {
  const nodeId = randomUUID();
  const local = new Map<string, LocalConnection>();
  const pending = new Map<string, { resolve: (r: TCommandResult) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  /** Batches sent by this node and not fully answered: settles the connection at index i of the batch. */
  const batches = new Map<string, (i: number, answer: TCommandResult | Error) => void>();
  let redis: RelayRedis | undefined;
  let sub: Redis | undefined;
  let started: Promise<void> | undefined;
  let timers: NodeJS.Timeout[] = [];
  let sweepHandler: SweepHandler | undefined;

  const r = (): RelayRedis => {
    if (!redis) {
      redis = createRedis({ maxRetriesPerRequest: 3, lazyConnect: false }) as RelayRedis;
      redis.defineCommand('dropConnection', { numberOfKeys: 3, lua: DROP_CONNECTION });
    }
    return redis;
  };

  async function start(): Promise<void> {
    started ??= (async () => {
      sub = createRedis({ maxRetriesPerRequest: null });
      sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => void onWire(message.toString('utf8')));
      await sub.subscribe(`${P}node:${nodeId}`);
      await heartbeat();
      timers.push(setInterval(() => void heartbeat().catch((err) => log.warn({ err }, 'live relay heartbeat failed')), ALIVE_REFRESH_MS));
      timers.push(setInterval(() => void sweep().catch((err) => log.warn({ err }, 'live relay sweep failed')), SWEEP_MS));
      for (const t of timers) t.unref();
    })();
    return started;
  }

  async function heartbeat(): Promise<void> {
    await r().multi().set(`${P}alive:${nodeId}`, '1', 'PX', ALIVE_TTL_MS).sadd(`${P}nodes`, nodeId).exec();
  }

  async function aliveNodes(nodes: string[]): Promise<Set<string>> {
    const unique = [...new Set(nodes)];
    if (unique.length === 0) return new Set();
    const values = await r().mget(...unique.map((n) => `${P}alive:${n}`));
    return new Set(unique.filter((_n, i) => values[i] !== null));
  }

  /** Removes what dead nodes left behind; one node does it (a short lock), the others skip. */
  async function sweep(): Promise<void> {
    // Only nodes that hold sockets sweep (they report the disconnects); a workers process that merely sends
    // commands (update campaigns) leaves it to them.
    if (!sweepHandler) return;
    const nodes = await r().smembers(`${P}nodes`);
    const alive = await aliveNodes(nodes);
    for (const dead of nodes.filter((n) => !alive.has(n))) {
      if ((await r().set(`${P}sweep:${dead}`, nodeId, 'PX', 60_000, 'NX')) !== 'OK') continue;
      const connIds = await r().smembers(`${P}nodeconns:${dead}`);
      const lobbyIds = await r().smembers(`${P}nodelobby:${dead}`);
      const conns = (connIds.length ? await r().hmget(`${P}conn`, ...connIds) : []).filter((x): x is string => !!x).map((x) => JSON.parse(x) as ConnInfo);
      const lobby = (lobbyIds.length ? await r().hmget(`${P}lobby`, ...lobbyIds) : []).filter((x): x is string => !!x).map((x) => JSON.parse(x) as LobbyInfo);
      const m = r().multi();
      if (connIds.length) m.hdel(`${P}conn`, ...connIds);
      if (lobbyIds.length) m.hdel(`${P}lobby`, ...lobbyIds);
      for (const c of conns) m.eval(DEL_IF_EQUAL, 1, `${P}dev`, `${c.accountId}/${c.deviceId}`, c.connectionId);
      m.del(`${P}nodeconns:${dead}`, `${P}nodelobby:${dead}`).srem(`${P}nodes`, dead);
      await m.exec();
      log.info({ node: dead, devices: conns.length, lobby: lobby.length }, 'removed the live connections of a web node that stopped');
      await sweepHandler?.(conns, lobby);
    }
  }

  async function onWire(text: string): Promise<void> {
    let msg: Wire;
    try {
      msg = JSON.parse(text) as Wire;
    } catch {
      return;
    }
    if (msg.kind === 'replies') {
      const settle = batches.get(msg.batchId);
      if (settle) for (const a of msg.answers) settle(a.i, a.result ?? new DeviceUnreachableError(a.error ?? 'device unreachable'));
      return;
    }
    if (msg.kind === 'cmds') return answerBatch(msg);
    if (msg.kind === 'reply') {
      const p = pending.get(msg.reqId);
      if (!p) return;
      pending.delete(msg.reqId);
      clearTimeout(p.timer);
      if (msg.result) p.resolve(msg.result);
      else p.reject(new DeviceUnreachableError(msg.error ?? 'device unreachable'));
      return;
    }
    const conn = local.get(msg.connectionId);
    let reply: Wire;
    if (!conn) reply = { kind: 'reply', reqId: msg.reqId, error: 'not connected' };
    else {
      try {
        reply = { kind: 'reply', reqId: msg.reqId, result: await conn.send(msg.cmd, msg.timeoutMs) };
      } catch (err) {
        reply = { kind: 'reply', reqId: msg.reqId, error: (err as Error).message };
      }
    }
    await r().publish(`${P}node:${msg.from}`, JSON.stringify(reply));
  }

  /** Sends a batch's command to each of its connections held here; the answers go back in a few messages. */
  async function answerBatch(msg: Extract<Wire, { kind: 'cmds' }>): Promise<void> {
    let out: TBatchAnswer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (out.length === 0) return;
      const reply: Wire = { kind: 'replies', batchId: msg.batchId, answers: out };
      out = [];
      // A lost message is the sender's time-out for those devices, as for a lost single reply.
      r()
        .publish(`${P}node:${msg.from}`, JSON.stringify(reply))
        .catch((err: Error) => log.warn({ err }, 'live relay: could not send answers back'));
    };
    const add = (a: TBatchAnswer) => {
      out.push(a);
      if (out.length >= REPLIES_PER_MESSAGE) flush();
      else timer ??= setTimeout(flush, REPLIES_FLUSH_MS);
    };
    await Promise.all(
      msg.connectionIds.map(async (connectionId, i) => {
        const conn = local.get(connectionId);
        if (!conn) return add({ i, error: 'not connected' });
        try {
          add({ i, result: await conn.send(msg.cmd, msg.timeoutMs) });
        } catch (err) {
          add({ i, error: (err as Error).message });
        }
      }),
    );
    flush();
  }

  /** One node's share of commandMany: one message, answers as they come back. Never rejects. */
  function sendBatch(node: string, connectionIds: string[], cmd: TCommand, timeoutMs: number, onAnswer: (i: number, answer: TCommandResult | Error) => void): Promise<void> {
    return new Promise<void>((resolve) => {
      const batchId = randomUUID();
      const left = new Set(connectionIds.keys());
      const settle = (i: number, answer: TCommandResult | Error) => {
        if (!left.delete(i)) return; // unknown index, or answered already (a late answer after the time-out)
        onAnswer(i, answer);
        if (left.size > 0) return;
        clearTimeout(timer);
        batches.delete(batchId);
        resolve();
      };
      const settleRest = (err: Error) => {
        for (const i of [...left]) settle(i, err);
      };
      // The remote node applies the device time-out; this one only guards against lost answers.
      const timer = setTimeout(() => settleRest(new DeviceUnreachableError('timed out')), timeoutMs + 2000);
      batches.set(batchId, settle);
      const wire: Wire = { kind: 'cmds', batchId, from: nodeId, connectionIds, cmd, timeoutMs };
      r()
        .publish(`${P}node:${node}`, JSON.stringify(wire))
        .then((receivers) => {
          if (receivers === 0) settleRest(new DeviceUnreachableError('not connected'));
        })
        .catch((err: Error) => settleRest(err));
    });
  }

  async function readAlive<T extends { node: string }>(hash: string, ids?: string[]): Promise<T[]> {
    const raw = ids ? (ids.length ? await r().hmget(`${P}${hash}`, ...ids) : []) : Object.values(await r().hgetall(`${P}${hash}`));
    const rows = raw.filter((x): x is string => !!x).map((x) => JSON.parse(x) as T);
    const alive = await aliveNodes(rows.map((c) => c.node));
    return rows.filter((c) => alive.has(c.node));
  }

  return {
    nodeId,
    start,
    onSweep(handler: SweepHandler) {
      sweepHandler = handler;
    },
    localCount: () => local.size,
    /** This node's sockets: registered devices and registration-lobby ones (for /metrics). */
    localCounts() {
      let devices = 0;
      for (const c of local.values()) if (c.accountId) devices += 1;
      return { devices, lobby: local.size - devices };
    },

    /** Registers a socket of this node; returns the connection it replaced (same device), if any. */
    async addConnection(info: ConnInfo, conn: LocalConnection): Promise<ConnInfo | null> {
      await start();
      local.set(info.connectionId, conn);
      const devKey = `${info.accountId}/${info.deviceId}`;
      const res = await r()
        .multi()
        .hset(`${P}conn`, info.connectionId, JSON.stringify(info))
        .sadd(`${P}nodeconns:${nodeId}`, info.connectionId)
        .hget(`${P}dev`, devKey)
        .hset(`${P}dev`, devKey, info.connectionId)
        .exec();
      const previousId = res?.[2]?.[1] as string | null;
      if (!previousId || previousId === info.connectionId) return null;
      const [previous] = await readAlive<ConnInfo>('conn', [previousId]);
      return previous ?? null;
    },

    async removeConnection(info: Pick<ConnInfo, 'connectionId' | 'accountId' | 'deviceId'>): Promise<void> {
      local.delete(info.connectionId);
      await r().dropConnection(`${P}conn`, `${P}nodeconns:${nodeId}`, `${P}dev`, info.connectionId, `${info.accountId}/${info.deviceId}`);
    },

    async addLobby(info: LobbyInfo, conn: LocalConnection): Promise<void> {
      await start();
      local.set(info.connectionId, conn);
      await r().multi().hset(`${P}lobby`, info.connectionId, JSON.stringify(info)).sadd(`${P}nodelobby:${nodeId}`, info.connectionId).exec();
    },

    async removeLobby(info: LobbyInfo): Promise<void> {
      local.delete(info.connectionId);
      await r().multi().hdel(`${P}lobby`, info.connectionId).srem(`${P}nodelobby:${nodeId}`, info.connectionId).exec();
    },

    /** Live connections on every node (dead nodes' leftovers are skipped). */
    listConnections: () => readAlive<ConnInfo>('conn'),
    listLobby: () => readAlive<LobbyInfo>('lobby'),
    async connection(connectionId: string): Promise<ConnInfo | null> {
      return (await readAlive<ConnInfo>('conn', [connectionId]))[0] ?? null;
    },
    async lobbyConnection(connectionId: string): Promise<LobbyInfo | null> {
      return (await readAlive<LobbyInfo>('lobby', [connectionId]))[0] ?? null;
    },
    /**
     * Where a command to a device connection goes, as much as the dispatcher needs: this node's own
     * sockets without a trip to Redis, the others from their record.
     */
    async commandTarget(connectionId: string): Promise<Pick<ConnInfo, 'connectionId' | 'node' | 'tenantId' | 'accountId'> | null> {
      const held = local.get(connectionId);
      if (held?.accountId && held.tenantId) return { connectionId, node: nodeId, tenantId: held.tenantId, accountId: held.accountId };
      return (await readAlive<ConnInfo>('conn', [connectionId]))[0] ?? null;
    },
    /** The live connection of one device, if it has one. */
    async connectionOfDevice(accountId: string, deviceId: string): Promise<ConnInfo | null> {
      const id = await r().hget(`${P}dev`, `${accountId}/${deviceId}`);
      return id ? ((await readAlive<ConnInfo>('conn', [id]))[0] ?? null) : null;
    },

    /** Sends a command to a connection on any node and waits for the device's answer. */
    async command(target: { connectionId: string; node: string }, cmd: TCommand, timeoutMs: number): Promise<TCommandResult> {
      await start();
      if (target.node === nodeId) {
        const conn = local.get(target.connectionId);
        if (!conn) throw new DeviceUnreachableError('not connected');
        return conn.send(cmd, timeoutMs);
      }
      const reqId = randomUUID();
      // The remote node applies the device time-out; this one only guards against a lost reply.
      return new Promise<TCommandResult>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(reqId);
          reject(new DeviceUnreachableError('timed out'));
        }, timeoutMs + 2000);
        pending.set(reqId, { resolve, reject, timer });
        const wire: Wire = { kind: 'cmd', reqId, from: nodeId, connectionId: target.connectionId, cmd, timeoutMs };
        r()
          .publish(`${P}node:${target.node}`, JSON.stringify(wire))
          .then((receivers) => {
            if (receivers === 0 && pending.delete(reqId)) {
              clearTimeout(timer);
              reject(new DeviceUnreachableError('not connected'));
            }
          })
          .catch((err: Error) => {
            if (pending.delete(reqId)) {
              clearTimeout(timer);
              reject(err);
            }
          });
      });
    },

    /**
     * The same command to many connections (on any nodes): one relay message per node instead of one per
     * connection. `onAnswer` is called once per target, with the device's answer or why it was not reached
     * (a DeviceUnreachableError, or the Redis error); the promise resolves when every target has one, never rejects.
     */
    async commandMany<T extends { connectionId: string; node: string }>(targets: T[], cmd: TCommand, timeoutMs: number, onAnswer: (target: T, answer: TCommandResult | Error) => void): Promise<void> {
      try {
        await start();
      } catch (err) {
        for (const t of targets) onAnswer(t, err as Error);
        return;
      }
      const byNode = new Map<string, T[]>();
      for (const t of targets) {
        const list = byNode.get(t.node);
        if (list) list.push(t);
        else byNode.set(t.node, [t]);
      }
      const runs: Array<Promise<void>> = [];
      for (const [node, list] of byNode) {
        if (node === nodeId) {
          for (const t of list) {
            const conn = local.get(t.connectionId);
            const sent = conn ? conn.send(cmd, timeoutMs) : Promise.reject(new DeviceUnreachableError('not connected'));
            runs.push(sent.then((result) => onAnswer(t, result), (err: Error) => onAnswer(t, err)));
          }
          continue;
        }
        runs.push(sendBatch(node, list.map((t) => t.connectionId), cmd, timeoutMs, (i, answer) => onAnswer(list[i], answer)));
      }
      await Promise.all(runs);
    },

    async enqueue(accountId: string, deviceId: string, cmd: TCommand): Promise<number> {
      const key = `${P}queue:${accountId}/${deviceId}`;
      const res = await r().multi().rpush(key, JSON.stringify({ cmd, queuedAt: Date.now() })).ltrim(key, -QUEUE_MAX, -1).expire(key, QUEUE_TTL_SECONDS).exec();
      return Number(res?.[0]?.[1] ?? 0);
    },

    /** Takes the device's queued commands (oldest first); each is delivered once. */
    async takeQueued(accountId: string, deviceId: string): Promise<TCommand[]> {
      const key = `${P}queue:${accountId}/${deviceId}`;
      const res = await r().multi().lrange(key, 0, -1).del(key).exec();
      const items = (res?.[0]?.[1] as string[] | undefined) ?? [];
      return items.map((x) => (JSON.parse(x) as { cmd: TCommand }).cmd);
    },

    /** Call after this node's sockets were closed (their close handlers remove them from Redis). */
    async stop(): Promise<void> {
      for (const t of timers) clearInterval(t);
      timers = [];
      try {
        // Whatever is still registered here is left to the sweeper of another (or the next) node.
        if (redis && started && local.size === 0) await redis.multi().del(`${P}alive:${nodeId}`).srem(`${P}nodes`, nodeId).exec();
      } catch (err) {
        log.warn({ err }, 'live relay: clean-up at stop failed');
      }
      sub?.disconnect();
      redis?.disconnect();
    },
  };
}

/**
 * removeConnection in one script (atomic, as the MULTI it replaces; EVALSHA after the first call): a disconnect
 * storm of 10,000 devices spent over a second of the web process building ioredis pipelines. KEYS: conn,
 * nodeconns:<node>, dev; ARGV: connectionId, accountId/deviceId (whose entry goes only if still this connection's).
 */
const DROP_CONNECTION = `redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[2], ARGV[1])
if redis.call('HGET', KEYS[3], ARGV[2]) == ARGV[1] then redis.call('HDEL', KEYS[3], ARGV[2]) end
return 0`;

type RelayRedis = Redis & { dropConnection(conn: string, nodeConns: string, dev: string, connectionId: string, devKey: string): Promise<number> };

/** HDEL key field only when its value is still ARGV[2] (a newer connection may own it). */
const DEL_IF_EQUAL = "if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0";

const holder = globalThis as unknown as { __halleyRelay?: Relay };

export function relay(): Relay {
  holder.__halleyRelay ??= createRelay();
  return holder.__halleyRelay;
}
