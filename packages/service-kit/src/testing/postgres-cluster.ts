import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, appendFileSync, chownSync, constants, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";

import { Client, escapeIdentifier } from "pg";

const execFileAsync = promisify(execFile);

/**
 * Where a service's test harness finds the run's cluster (set by ./postgres-setup.ts on a Postgres run):
 * set, its test databases are made there; unset, they are SQLite.
 */
export const TEST_POSTGRES_URL_VARIABLE = "FISHTAG_TEST_POSTGRES_URL";

export type ThrowawayPostgres = {
  /** The superuser `postgres` on the maintenance database `postgres`, over TCP on 127.0.0.1. */
  url: string;
  /** Makes a database (a random name if none is given) and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server at once and removes its folder. Idempotent. */
  stop(): Promise<void>;
};

/** Where Debian installs the server: one folder per major version, none of them on PATH. */
const DEBIAN_POSTGRES_ROOT = "/usr/lib/postgresql";

/**
 * A Postgres cluster for one test run: initdb into a fresh temporary folder, started on a free port of
 * 127.0.0.1, its socket inside that folder (nothing under /var/run, no clash with a system cluster), and
 * nothing durable, because it is thrown away. `stop()` removes it all; a process that exits without
 * calling it stops it too (best effort: not on SIGKILL).
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinaries();
  const as = await invoker();
  const dir = mkdtempSync(join(tmpdir(), "fishtag-pg-"));
  const data = join(dir, "data");
  const log = join(dir, "server.log");
  as.own(dir);
  const pgCtl = (args: string[]) => as.run(join(bin, "pg_ctl"), ["-D", data, ...args], dir);

  let stopped = false;
  // 'exit' listeners must be synchronous: the cluster goes down with the process rather than outliving it.
  const stopOnExit = () => {
    try {
      execFileSync(...as.command(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"]), { cwd: dir, stdio: "ignore" });
    } catch {
      // Never started, or already gone: the folder is removed either way.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stopOnExit);

  try {
    await as.run(
      join(bin, "initdb"),
      // --no-sync: initdb otherwise fsyncs every file it wrote, a good part of its second.
      ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
      dir,
    );
    appendFileSync(
      join(data, "postgresql.conf"),
      [
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir.replaceAll("'", "''")}'`,
        // Durability buys nothing in a cluster deleted after the run, and costs every commit a flush.
        "fsync = off",
        "synchronous_commit = off",
        "full_page_writes = off",
        // Test files run in parallel, each with its services' pools (10 connections each by default).
        "max_connections = 200",
        "",
      ].join("\n"),
    );
    const port = await startOnFreePort(pgCtl, log);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    return {
      url,
      createDatabase: (name?: string) => createDatabase(url, name),
      async stop() {
        if (stopped) return;
        stopped = true;
        process.off("exit", stopOnExit);
        try {
          await pgCtl(["-m", "immediate", "stop"]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    stopped = true;
    process.off("exit", stopOnExit);
    stopOnExit();
    throw error;
  }
}

/**
 * Creates a database in the cluster `clusterUrl` points into and returns the URL of the new one. Exported
 * on its own for test files: they get the cluster's URL from a global setup (another process), not the
 * object that started it. A copy of template1: 40 to 100 ms here, so one per test file or per test
 * warehouse is affordable.
 */
export async function createDatabase(clusterUrl: string, name = `test_${randomBytes(8).toString("hex")}`): Promise<string> {
  // Postgres truncates longer identifiers (with a notice only): the URL would name a database that does not exist.
  if (Buffer.byteLength(name) > 63) throw new Error(`createDatabase: "${name}" is longer than Postgres's 63-byte identifiers`);
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  // pg reads the database back with decodeURI, which leaves reserved characters escaped (%3F stays "%3F").
  if (decodedPath(url) !== name) throw new Error(`createDatabase: "${name}" cannot be written in a URL that pg reads back`);
  const client = new Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    await client.query(`create database ${escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  return url.toString();
}

function decodedPath(url: URL): string | undefined {
  try {
    return decodeURI(url.pathname.slice(1));
  } catch {
    return undefined;
  }
}

/** The folder holding initdb and pg_ctl (of the same installation). */
function postgresBinaries(): string {
  const onPath = (process.env.PATH ?? "").split(delimiter).filter((dir) => dir !== "");
  const debian = (() => {
    try {
      return readdirSync(DEBIAN_POSTGRES_ROOT)
        .filter((version) => /^\d+(\.\d+)?$/.test(version))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
        .map((version) => join(DEBIAN_POSTGRES_ROOT, version, "bin"));
    } catch {
      return [];
    }
  })();
  for (const dir of [...onPath, ...debian]) {
    if (!executable(join(dir, "initdb"))) continue;
    // PATH may hold a link to initdb alone: its pg_ctl (and the postgres it starts) sit beside the real file.
    const bin = dirname(realpathSync(join(dir, "initdb")));
    if (executable(join(bin, "pg_ctl"))) return bin;
  }
  throw new Error(
    `startThrowawayPostgres: no initdb on PATH nor under ${DEBIAN_POSTGRES_ROOT}/<version>/bin; install Postgres (Debian: apt-get install postgresql)`,
  );
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

type Invoker = {
  /** The program and arguments that run `file` as the cluster's owner. */
  command(file: string, args: string[]): [string, string[]];
  run(file: string, args: string[], cwd: string): Promise<void>;
  /** Hands a folder to the cluster's owner. */
  own(path: string): void;
};

/**
 * initdb and postgres refuse to run as root (a server that can be made to run code must not hold every
 * right on the machine), and CI runs as root: there they run as the `postgres` user Debian's package
 * creates, through runuser (util-linux, no password, no PAM prompt), in a folder handed to that user.
 */
async function invoker(): Promise<Invoker> {
  const command = (file: string, args: string[]): [string, string[]] =>
    process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, args];
  // Not root: the folder mkdtemp made is already the caller's, who runs the server.
  let own: (path: string) => void = () => undefined;
  if (process.getuid?.() === 0) {
    let uid: number, gid: number;
    try {
      uid = Number((await execFileAsync("id", ["-u", "postgres"])).stdout.trim());
      gid = Number((await execFileAsync("id", ["-g", "postgres"])).stdout.trim());
    } catch {
      throw new Error("startThrowawayPostgres: running as root, which initdb refuses, and there is no `postgres` user to run it as");
    }
    own = (path: string) => {
      chownSync(path, uid, gid);
    };
  }
  return {
    command,
    own,
    async run(file, args, cwd) {
      try {
        // cwd: the owner may not be allowed into the caller's folder (root's home), which initdb complains of.
        await execFileAsync(...command(file, args), { cwd });
      } catch (error) {
        const stderr = error instanceof Error && "stderr" in error ? String(error.stderr).trim() : "";
        throw new Error(`startThrowawayPostgres: ${[file, ...args].join(" ")} failed${stderr ? `: ${stderr}` : ""}`, { cause: error });
      }
    },
  };
}

/**
 * Starts the server on a port the kernel just handed out. Another process can take it between our probe
 * and the server's bind (parallel test runs do this): the server then fails to bind, and a new port is tried.
 */
async function startOnFreePort(pgCtl: (args: string[]) => Promise<void>, log: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      // -l: without a log file the server writes to pg_ctl's stdout, a pipe it keeps open after pg_ctl exits.
      await pgCtl(["-l", log, "-w", "-o", `-p ${port}`, "start"]);
      return port;
    } catch (error) {
      const serverLog = readLog(log);
      if (attempt < 3 && serverLog.includes("Address already in use")) continue;
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${serverLog}`, { cause: error });
    }
  }
}

function readLog(log: string): string {
  try {
    return readFileSync(log, "utf8");
  } catch {
    return "";
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  if (address === null || typeof address === "string") throw new Error("freePort: the server has no TCP address");
  return address.port;
}
