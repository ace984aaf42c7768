// A throwaway Debian PostgreSQL server (CI, or anyone with apt) with trust auth on 127.0.0.1.
//   node scripts/local-db/debian-postgres.mjs start [port]   prints the postgres:// URL
//   node scripts/local-db/debian-postgres.mjs stop [port]
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, mkdirSync, chownSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const isRoot = process.getuid?.() === 0;

/**
 * @param {{ port?: number, log?: (line: string) => void }} [options]
 * @returns {Promise<{ databaseUrl: string, dataDir: string, stop: () => Promise<void> }>}
 */
export async function startDebianPostgres({ port = 5433, log = console.error } = {}) {
  const bin = postgresBinDir() ?? installPostgres(log);
  const dataDir = dataDirFor(port);
  stopServer(bin, dataDir);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { mode: 0o700 });
  // initdb refuses to run as root, so as root the cluster belongs to the postgres user.
  if (isRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
    chownSync(dataDir, uid, gid);
  }

  runAsOwner(join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
  const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -k /tmp`;
  try {
    runAsOwner(join(bin, "pg_ctl"), ["-D", dataDir, "-l", join(dataDir, "server.log"), "-o", serverOptions, "-w", "-t", "30", "start"]);
  } catch (err) {
    throw new Error(`PostgreSQL did not start on port ${port} (in use?); see ${join(dataDir, "server.log")}\n${err.message}`);
  }

  const databaseUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  log(`Debian PostgreSQL (${bin}) serving ${databaseUrl}`);
  return { databaseUrl, dataDir, stop: async () => stopDebianPostgres({ port }) };
}

/** Stops the server started by startDebianPostgres on this port and deletes its data. */
export async function stopDebianPostgres({ port = 5433 } = {}) {
  const bin = postgresBinDir();
  const dataDir = dataDirFor(port);
  if (bin) stopServer(bin, dataDir);
  rmSync(dataDir, { recursive: true, force: true });
}

function dataDirFor(port) {
  return join(tmpdir(), `a2a-debian-postgres-${port}`);
}

function stopServer(bin, dataDir) {
  if (!existsSync(join(dataDir, "postmaster.pid"))) return;
  try {
    runAsOwner(join(bin, "pg_ctl"), ["-D", dataDir, "-m", "fast", "-w", "-t", "30", "stop"]);
  } catch {
    // Already gone; a stale pid file is removed with the directory.
  }
}

function postgresBinDir() {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], "bin") : undefined;
}

function installPostgres(log) {
  if (!isRoot) throw new Error("PostgreSQL is not installed and installing it needs root: apt-get install -y postgresql");
  log("Installing Debian's postgresql package...");
  // apt's output goes to stderr: the CLI's stdout carries only the URL, for `$(...)` in shell scripts.
  const options = { stdio: ["ignore", 2, 2], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } };
  execFileSync("apt-get", ["update"], options);
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "postgresql"], options);
  const bin = postgresBinDir();
  if (!bin) throw new Error("apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb was found");
  return bin;
}

function runAsOwner(command, args) {
  const [file, argv] = isRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  // cwd: the postgres user may not be allowed into the caller's directory.
  return execFileSync(file, argv, { cwd: tmpdir(), stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [command, portArg] = process.argv.slice(2);
  const port = portArg ? Number(portArg) : 5433;
  try {
    if (command === "start") {
      const { databaseUrl } = await startDebianPostgres({ port });
      console.log(databaseUrl);
    } else if (command === "stop") {
      await stopDebianPostgres({ port });
    } else {
      console.error("usage: node scripts/local-db/debian-postgres.mjs start|stop [port]");
      process.exit(2);
    }
  } catch (err) {
    console.error(err.message);
    if (err.stderr) console.error(String(err.stderr));
    process.exit(1);
  }
}
