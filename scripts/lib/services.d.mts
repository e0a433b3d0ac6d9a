// Types of scripts/lib/services.mjs, for the TypeScript files that import it (tests/helpers/global-setup.ts).
import type { ChildProcess } from 'node:child_process';

/** Environment variables for a child process (process.env fits). */
export type Env = Record<string, string | undefined>;

export declare const repoRoot: string;
export declare function isRoot(): boolean;
export declare function randomHex(bytes?: number): string;

export interface StepLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  step<T>(label: string, fn: () => T | Promise<T>): Promise<T>;
}
export declare function createStepLogger(tag: string): StepLogger;

export declare function findCommand(name: string): string | null;
export declare function freePort(preferred?: number): Promise<number>;
export declare function isPortInUse(port: number, host?: string): Promise<boolean>;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error | null;
}
export interface StopOptions {
  signal?: NodeJS.Signals;
  timeoutMs?: number;
}
export interface ManagedProcess {
  name: string;
  pid: number | undefined;
  child: ChildProcess;
  /** null while the process runs. */
  exitInfo: ExitInfo | null;
  exited: Promise<ExitInfo>;
  /** The last n lines of output (stdout and stderr interleaved). */
  tail(n?: number): string;
  /** Stops the whole process group: signal (SIGTERM), then SIGKILL after timeoutMs. */
  stop(options?: StopOptions): Promise<void>;
}
export interface StartProcessOptions {
  name?: string;
  cwd?: string;
  env?: Env;
  echo?: boolean;
  logFile?: string;
  tailLines?: number;
  pidDir?: string;
  killOnExit?: boolean;
}
export declare function startProcess(command: string, args: string[], options?: StartProcessOptions): ManagedProcess;
export interface SupervisedProcess {
  name: string;
  readonly current: ManagedProcess;
  readonly recentCrashes: number;
  stop(options?: StopOptions): Promise<void>;
  kill(): void;
}
export declare function superviseProcess(
  spawn: () => ManagedProcess,
  options?: {
    name?: string;
    log?: (line: string) => void;
    backoffMs?: number[];
    maxCrashes?: number;
    windowMs?: number;
    onGiveUp?: (reason: string) => void;
    onRestart?: (proc: ManagedProcess) => void;
  },
): SupervisedProcess;
export declare function waitForHttp(
  url: string,
  timeoutMs?: number,
  options?: { process?: ManagedProcess; intervalMs?: number },
): Promise<void>;
export declare function runCommand(
  command: string,
  args: string[],
  options?: { cwd?: string; env?: Env; prefix?: string; quiet?: boolean; onSpawn?: (child: ChildProcess) => void },
): Promise<void>;

export declare function isPidAlive(pid: number): boolean;
export declare function processGroupMembers(pgid: number): number[];
export declare function stopProcessGroup(pgid: number, options?: StopOptions): Promise<boolean>;
export declare function stopPid(pid: number, options?: StopOptions): Promise<boolean>;
export declare function stopGroupsFromPidDir(pidDir: string, options?: { log?: (message: string) => void }): Promise<void>;

export declare function ensureAptPackages(pkgs: string[], options?: { log?: (message: string) => void }): Promise<string[]>;

export interface RunningService {
  url: string;
  port: number;
  pid: number | null;
  stop(): Promise<void>;
}
export declare function startRedis(options: { dir: string; port?: number; persist?: boolean }): Promise<RunningService>;
export declare function findSystemPgBinDir(): string | null;
export declare function startEmbeddedPostgres(options: { dataDir: string; port?: number; database?: string }): Promise<RunningService>;
export declare function startSystemPostgres(options: {
  dataDir: string;
  port?: number;
  database?: string;
  user?: string;
}): Promise<RunningService & { adminUrl: string; dataDir: string }>;
export declare function stopLeftoverServices(dir: string, options?: { log?: (message: string) => void }): Promise<void>;
export declare function removeServicesDir(dir: string): void;

export declare function npmInstallNeeded(root?: string): boolean;
export declare function npmInstall(root?: string, options?: { onSpawn?: (child: ChildProcess) => void }): Promise<void>;
export declare function ensurePrismaClient(root?: string): Promise<boolean>;
export declare function applyMigrations(
  databaseUrl: string,
  options?: { root?: string; env?: Env; onSpawn?: (child: ChildProcess) => void },
): Promise<void>;
export declare function nextBuildStaleReason(root?: string): string | null;
export declare function nextBuild(options?: { root?: string; env?: Env; onSpawn?: (child: ChildProcess) => void }): Promise<void>;
export declare function requireFile(root: string, rel: string, what: string): void;
export declare function appEnv(
  base: Env,
  services: { databaseUrl: string; redisUrl: string; secretKey: string; extra?: Env },
): Env;
