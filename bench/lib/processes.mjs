// Child processes of a bench run: started here, tracked here, and always killed here,
// whether the run ends normally, fails, or is interrupted.
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { createInterface } from "node:readline";

const children = new Set();

/**
 * Starts a process whose stdout and stderr go to `logFile`; each stdout line is also emitted as "stdout-line".
 * With `group`, the process leads a process group of its own, and stopping it signals the whole group: for
 * launchers such as `wrangler dev` whose own children (workerd) must not outlive them.
 */
export function startProcess(command, args, { cwd, env, logFile, group = false }) {
  const log = createWriteStream(logFile);
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: group });
  child.group = group;
  children.add(child);
  // A group leader's children may outlive it: keep it listed until stopProcess has seen the group gone.
  if (!group) child.once("exit", () => children.delete(child));
  child.stderr.pipe(log, { end: false });
  createInterface({ input: child.stdout }).on("line", (line) => {
    log.write(`${line}\n`);
    child.emit("stdout-line", line);
  });
  child.once("close", () => log.end());
  return child;
}

const hasExited = (child) => child.exitCode !== null || child.signalCode !== null;

/** Signals the child, or for a `group` child every process still in its group (it may have exited itself). */
function signal(child, name) {
  try {
    if (child.group) process.kill(-child.pid, name);
    else child.kill(name);
  } catch {
    // already gone
  }
}

/** True while any process of the child's group is alive (for a plain child: while it runs). */
function groupAlive(child) {
  if (!child.group) return !hasExited(child);
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process (for `group`: its whole group) is gone. */
export async function stopProcess(child, graceMs = 2000) {
  if (!child) return;
  if (child.group) {
    if (!groupAlive(child)) return;
    signal(child, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (groupAlive(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(child)) signal(child, "SIGKILL");
    while (!hasExited(child)) await new Promise((r) => setTimeout(r, 50));
    children.delete(child);
    return;
  }
  if (hasExited(child)) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** SIGTERM to every child still running (they may clean up, e.g. stop a database), SIGKILL after `graceMs`. */
export async function stopAll(graceMs = 5000) {
  await Promise.all([...children].map((child) => stopProcess(child, graceMs)));
}

/** Last resort for process exit paths, where nothing asynchronous runs any more. */
export function killAllNow() {
  for (const child of children) signal(child, "SIGKILL");
}

/** Resolves with the first stdout line `match` accepts; rejects if the process exits or time runs out. */
export function waitForLine(child, match, { timeoutMs = 20000, what = "process" } = {}) {
  return new Promise((resolve, reject) => {
    const onLine = (line) => {
      const value = match(line);
      if (value) done(resolve, value);
    };
    const done = (fn, value) => {
      clearTimeout(timer);
      child.off("stdout-line", onLine);
      child.off("exit", onExit);
      fn(value);
    };
    const onExit = (code, signal) => done(reject, new Error(`${what} exited (${signal ?? code}) before it was ready`));
    const timer = setTimeout(() => done(reject, new Error(`${what} not ready after ${timeoutMs} ms`)), timeoutMs);
    child.once("exit", onExit);
    child.on("stdout-line", onLine);
  });
}

/** Polls `url` until it answers at all (any status); fails fast if `child` exits. */
export async function waitForHttp(url, child, { timeoutMs = 20000, what = "server" } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`${what} exited (${child.signalCode ?? child.exitCode}) before it was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${what} did not answer ${url} within ${timeoutMs} ms`);
}

/** A TCP port free right now on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Peak resident set size of a live process in MiB (Linux VmHWM), or undefined. */
export function peakRssMiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Current resident set size of a live process in MiB (Linux VmRSS), or undefined. */
export function rssMiB(pid) {
  try {
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a live process has used so far, in seconds, or undefined. */
export function cpuSeconds(pid) {
  try {
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** CPU time the whole machine has spent busy (not idle or waiting for I/O) so far, in seconds (Linux /proc/stat). */
export function machineBusySeconds() {
  try {
    const [user, nice, system, , , irq, softirq, steal] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return undefined;
  }
}

/**
 * Every live process, read from /proc/<pid>/stat: { pid, comm, state, ppid, pgrp, started } (started in clock
 * ticks since boot). A process that exits while the list is read is left out.
 */
export function liveProcesses() {
  const processes = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // comm is in parentheses and may hold spaces or parentheses itself: the fields start after the last ")".
      const close = stat.lastIndexOf(")");
      const fields = stat.slice(close + 2).split(" ");
      processes.push({ pid: Number(entry), comm: stat.slice(stat.indexOf("(") + 1, close), state: fields[0], ppid: Number(fields[1]), pgrp: Number(fields[2]), started: Number(fields[19]) });
    } catch {
      // exited while listing
    }
  }
  return processes;
}

/** Every live descendant of `pid` (children, their children, …) as { pid, comm, started }, oldest first. */
export function descendants(pid) {
  const parents = new Map(liveProcesses().map((p) => [p.pid, p]));
  const found = [];
  const walk = (parent) => {
    for (const p of parents.values()) {
      if (p.ppid === parent) {
        found.push(p);
        walk(p.pid);
      }
    }
  };
  walk(pid);
  return found.sort((a, b) => a.started - b.started).map(({ pid: id, comm, started }) => ({ pid: id, comm, started }));
}

/** How many files a live process has open, or undefined. */
export function openFiles(pid) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return undefined;
  }
}

/** The open-files limit of a live process (soft), or undefined. */
export function openFilesLimit(pid) {
  try {
    return Number(/^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, "utf8"))?.[1]) || undefined;
  } catch {
    return undefined;
  }
}

/** The last lines of a log file, for error messages that must say what went wrong. */
export function logTail(file, lines = 15) {
  if (!existsSync(file)) return "";
  const text = readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  return text ? `\n--- last lines of ${file} ---\n${text}` : "";
}

/**
 * Stops every child on Ctrl-C, SIGTERM or when the run's time budget is spent (after `onBudget` has written
 * partial results), then exits.
 */
export function guardRun({ label, budgetSeconds, onBudget, forceExitMs = 15_000 }) {
  let stopping = false;
  async function abort(reason, code) {
    if (stopping) return;
    stopping = true;
    console.error(`\n${label}: ${reason}; stopping`);
    setTimeout(() => process.exit(code), forceExitMs).unref(); // if a child ignores SIGTERM and SIGKILL
    await stopAll();
    process.exit(code);
  }
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => abort(signal, 130));
  setTimeout(() => {
    onBudget();
    abort(`over the ${budgetSeconds} s budget (BENCH_TIMEOUT), partial results written`, 1);
  }, budgetSeconds * 1000).unref();
}
