// `npm run check:restart`: a real process restart of `npm run dev` in the middle of an orchestrator run.
// It starts `npm run dev` on a free port with its state in .wrangler/check-restart/ (wrangler's --persist-to for
// Durable Object storage and alarms, PGLITE_DIR for Postgres) and a scripted model (test/setup/openai-server.mjs,
// the OpenAI Chat Completions wire format, slow on purpose). It plays the run once without interruption, then again
// with the whole dev process group SIGKILLed twice: once while a model call is in flight, once in the middle of the
// streamed answer. Each time `npm run dev` starts again on the same state, and nothing touches the task until the run
// has resumed by itself. It passes when the run completes with the same history and artifacts as the uninterrupted
// one, no completed step's model call was made twice, and the client's stream, reopened with Last-Event-ID after each
// crash, got every event exactly once. Prints PASS or FAIL (exit code 0 or 1).
//   node scripts/check-restart.mjs [--keep]   --keep leaves the state folder and logs for a look
import { isDeepStrictEqual } from "node:util";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startOpenAIServer } from "../test/setup/openai-server.mjs";
import { openStream, rpc, waitForEvents } from "./check-restart/a2a-stream.mjs";
import { freePort, startDev } from "./check-restart/dev-process.mjs";
import { outcomeOf, promptOrder, streamGaps } from "./check-restart/verdicts.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const STATE = join(ROOT, ".wrangler", "check-restart");
const AGENT = "/agents/orchestrator";
const keep = process.argv.includes("--keep");
/** How long the run may take to resume by itself after a restart: the task object's heartbeat alarm is 5 s. */
const RESUME_WITHIN_MS = 30_000;

/**
 * Four model steps: three tool rounds and a streamed answer. `lookup` is not a tool of this deployment, so each
 * call comes back to the model as a tool error, which is committed like any result: what matters here is that
 * every step is committed and never repeated. Step 2 is slow to answer (the first crash comes while it is in
 * flight) and the answer streams slowly (the second crash comes after some of it reached the client).
 */
function replies({ slow }) {
  return [
    { text: "Let me look up venues.", toolCalls: [{ name: "lookup", arguments: { q: "venues" } }] },
    { toolCalls: [{ name: "lookup", arguments: { q: "dates" } }], ...(slow ? { firstByteDelayMs: 4000 } : {}) },
    { toolCalls: [{ name: "lookup", arguments: { q: "budget" } }] },
    { text: ["The ", "offsite ", "is ", "planned: ", "venue, ", "dates ", "and ", "budget ", "are ", "in ", "hand."], ...(slow ? { delayMs: 500 } : {}) },
  ];
}
const STEPS = 4;

const log = (line) => console.log(`check:restart: ${line}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

rmSync(STATE, { recursive: true, force: true });
mkdirSync(STATE, { recursive: true });
const model = await startOpenAIServer();
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const jsonRpc = `${base}${AGENT}/a2a/jsonrpc`;
const devLog = join(STATE, "dev.log");
const devArgs = [
  "--persist-to", join(STATE, "wrangler"),
  "--var", "MODEL:check-restart",
  "--var", `OPENAI_BASE_URL:${model.url}`,
  "--var", "OPENAI_API_KEY:sk-local-check-restart",
  // The intent step stays offline (as in the test suite), so the script answers only the loop's model calls.
  "--var", "INTENT_MODEL:offline",
  "--inspector-port", String(await freePort()),
  "--show-interactive-dev-session=false",
];
const start = () => startDev({ root: ROOT, port, pgliteDir: join(STATE, "pglite"), args: devArgs, logFile: devLog, readyPath: `${AGENT}/.well-known/agent-card.json` });

const scriptRequests = async (id) => (await (await fetch(`${model.controlUrl}/scripts/${id}`)).json()).requests;
const setScript = (id, body) => fetch(`${model.controlUrl}/scripts`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ id, ...body }) });

/** Resolves with the time the script had `count` requests. */
async function waitForRequests(id, count, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await scriptRequests(id)).length >= count) return Date.now();
    await sleep(25);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

// However this script ends (an exception, Ctrl-C), `npm run dev` must not outlive it.
process.on("exit", () => dev?.killNow());
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));

const checks = [];
const check = (name, ok, detail = "") => checks.push({ name, ok: Boolean(ok), detail });
let dev;
let failure;
try {
  await setScript("baseline", { replies: replies({ slow: false }) });
  await setScript("crashed", { replies: replies({ slow: true }), samePromptSameReply: true });
  dev = await start();
  log(`npm run dev is up on port ${port} (${dev.readyMs} ms; state in ${STATE})`);

  // A recruiting message, so that the intent step routes it to a skill and the loop calls the model (a message no
  // skill covers gets the capability answer without a model call).
  const baseline = (await rpc(jsonRpc, "SendMessage", { message: userMessage("[[script:baseline]] Plan the interview loop for the backend candidates.") })).task;
  log(`uninterrupted run: ${baseline.status.state}, ${baseline.history.length} messages`);

  // The run to crash, watched through a stream as a client would.
  const streams = [openStream(jsonRpc, "SendStreamingMessage", { message: userMessage("[[script:crashed]] Plan the interview loop for the backend candidates.") })];
  const restarts = [];
  const crashWhen = async (what, waitFor) => {
    await waitFor();
    const processes = dev.processes().map((p) => p.comm);
    await dev.crash();
    const crashedAt = Date.now();
    await Promise.all(streams.map((s) => s.ended));
    const lastId = streams.flatMap((s) => s.events).at(-1)?.id;
    log(`SIGKILL of npm run dev (${processes.join(", ")}) ${what}; the client's stream had events up to id ${lastId}`);
    const seen = (await scriptRequests("crashed")).length;
    // Nothing asks for the task: the run must come back by itself (the object's alarm, kept in --persist-to).
    const resumed = waitForRequests("crashed", seen + 1, RESUME_WITHIN_MS + 180_000, "the run to resume by itself after the restart");
    resumed.catch(() => {});
    dev = await start();
    const readyAt = Date.now();
    const resumedAt = await Promise.race([resumed, sleep(RESUME_WITHIN_MS).then(() => undefined)]);
    if (resumedAt === undefined) throw new Error(`the run did not resume by itself within ${RESUME_WITHIN_MS} ms of the restart; the task is then ${await describeTask(taskIdOf(streams))}`);
    restarts.push({ what, readyMs: dev.readyMs, resumedMs: resumedAt - crashedAt });
    const when = resumedAt <= readyAt ? `before the server answered requests` : `${resumedAt - readyAt} ms after it answered requests`;
    log(`npm run dev was up again after ${dev.readyMs} ms; the run had resumed by itself ${when} (the re-issued model call came ${resumedAt - crashedAt} ms after the crash)`);
    streams.push(openStream(jsonRpc, "SubscribeToTask", { id: taskIdOf(streams) }, { lastEventId: lastId }));
  };
  await crashWhen("while step 2's model call was in flight", async () => {
    await waitForEvents(streams[0], (events) => events.length > 0, 60_000, "the task's first event");
    await waitForRequests("crashed", 2, 60_000, "step 2's model call");
  });
  const answerChunks = (events) => events.filter((e) => e.result?.artifactUpdate?.artifact?.artifactId?.endsWith(`-step-${STEPS}`)).length;
  await crashWhen("in the middle of the streamed answer", () => waitForEvents(streams.at(-1), (events) => answerChunks(events) >= 3, 60_000, "answer chunks"));
  const last = await streams.at(-1).ended;
  log(`the resumed stream ${last.how === "closed" ? "ended" : `broke (${last.error})`}`);

  const taskId = taskIdOf(streams);
  const task = await rpc(jsonRpc, "GetTask", { id: taskId });
  // The whole event log, replayed from the start (a terminal task still answers a subscriber catching up).
  const replay = openStream(jsonRpc, "SubscribeToTask", { id: taskId }, { lastEventId: 0 });
  await replay.ended;

  check("the crashed run completed", task.status.state === "TASK_STATE_COMPLETED", task.status.state);
  check("same history and artifacts as the uninterrupted run", isDeepStrictEqual(outcomeOf(task), outcomeOf(baseline)), JSON.stringify({ crashed: outcomeOf(task), baseline: outcomeOf(baseline) }).slice(0, 600));
  const order = promptOrder(await scriptRequests("crashed"));
  // Steps 2 and 4 were in flight at a crash: each was asked again once. Steps 1 and 3 had completed: asked once.
  check("no completed step's model call was made twice", isDeepStrictEqual(order.counts, [1, 2, 1, 2]) && order.inOrder, `prompts per step ${JSON.stringify(order.counts)}, in step order: ${order.inOrder}`);
  check("the uninterrupted run made one model call per step", (await scriptRequests("baseline")).length === STEPS);
  const gaps = streamGaps(streams.map((s) => s.events), replay.events);
  check("the stream, reopened with Last-Event-ID after each crash, got every event once and in order", gaps.length === 0 && replay.events.length > 0, gaps.join("; ") || `${replay.events.length} events`);
  check("the stream ended with the COMPLETED status", streams.at(-1).events.at(-1)?.result?.statusUpdate?.status?.state === "TASK_STATE_COMPLETED" && last.how === "closed");
  check("each restart resumed the run without a request (the object's alarm survived)", restarts.length === 2, restarts.map((r) => `${r.resumedMs} ms after the crash`).join(", "));
} catch (error) {
  failure = error;
} finally {
  await dev?.stop();
  await model.close();
}

for (const { name, ok, detail } of checks) {
  const shown = !detail ? "" : ok ? (detail.length <= 120 ? ` (${detail})` : "") : `\n       ${detail}`;
  console.log(`  ${ok ? "ok  " : "FAIL"} ${name}${shown}`);
}
if (failure) console.log(`  FAIL ${failure.message}`);
const passed = !failure && checks.length > 0 && checks.every((c) => c.ok);
console.log(passed ? "check:restart: PASS" : `check:restart: FAIL (logs: ${devLog})`);
if (passed && !keep) rmSync(STATE, { recursive: true, force: true });
process.exit(passed ? 0 : 1);

function userMessage(text) {
  return { messageId: `m-${crypto.randomUUID()}`, role: "ROLE_USER", parts: [{ text }] };
}

/** The task's state and last message, for a failure report (this request wakes the task object). */
async function describeTask(id) {
  try {
    const task = await rpc(jsonRpc, "GetTask", { id });
    const last = task.history?.at(-1);
    return `${task.status.state} (${task.history?.length} messages; last: ${JSON.stringify(last?.parts ?? []).slice(0, 300)}; run state: ${JSON.stringify(task.metadata?.orchestration?.stopReason ?? null)})`;
  } catch (error) {
    return `unknown (GetTask failed: ${error.message})`;
  }
}

function taskIdOf(streams) {
  const first = streams[0].events.find((e) => e.result);
  const id = first?.result?.task?.id ?? first?.result?.statusUpdate?.taskId;
  if (!id) throw new Error(`the stream's first event names no task: ${JSON.stringify(first).slice(0, 300)}`);
  return id;
}

