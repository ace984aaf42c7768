import { afterEach, describe, expect, it, vi } from "vitest";
import { AlarmScheduler } from "../../durable-objects/alarms";
import { captureLogs } from "../helpers/logs";

afterEach(() => vi.restoreAllMocks());

/** The object's alarm, in memory: what the scheduler asked for is what this records. */
function fakes() {
  const calls: Array<number | null> = [];
  const storage = {
    setAlarm: async (at: number | Date) => void calls.push(Number(at)),
    deleteAlarm: async () => void calls.push(null),
  };
  return { calls, storage };
}
const fresh = { resumed: false };

/** Due times in the future, so that none is clamped to the present. */
const T = Date.now() + 3_600_000;

describe("one alarm, several purposes", () => {
  it("keeps the alarm at the earliest due time and writes nothing when nothing changes", () => {
    const { calls, storage } = fakes();
    const alarms = new AlarmScheduler(storage, ["index", "push"], fresh);
    alarms.set("push", T + 5000);
    alarms.set("index", T + 2000);
    alarms.set("index", T + 2000);
    alarms.set("push", T + 9000);
    expect(calls).toEqual([T + 5000, T + 2000]);
    alarms.set("index", undefined);
    expect(calls).toEqual([T + 5000, T + 2000, T + 9000]);
    alarms.set("push", undefined);
    expect(calls.at(-1)).toBeNull();
  });

  it("runs only the purposes that are due; the others keep their time and the alarm moves to them", async () => {
    const { calls, storage } = fakes();
    const alarms = new AlarmScheduler(storage, ["index", "push"], fresh);
    alarms.set("index", T + 1000);
    alarms.set("push", T + 60_000);
    const ran: string[] = [];
    await alarms.run({ index: async () => void ran.push("index"), push: async () => void ran.push("push") }, T + 1500);
    expect(ran).toEqual(["index"]);
    expect(alarms.due("index")).toBeUndefined();
    expect(alarms.due("push")).toBe(T + 60_000);
    expect(calls.at(-1)).toBe(T + 60_000);
  });

  it("a due time of 0 means now: the alarm is set to the present, never to 0", () => {
    const { calls, storage } = fakes();
    const before = Date.now();
    new AlarmScheduler(storage, ["push"], fresh).set("push", 0);
    expect(calls[0]).toBeGreaterThanOrEqual(before);
  });

  it("a handler that sets its own next turn keeps it", async () => {
    const { storage } = fakes();
    const alarms = new AlarmScheduler(storage, ["index"], fresh);
    alarms.set("index", 0);
    await alarms.run({ index: async () => alarms.set("index", 7000) }, 10);
    expect(alarms.due("index")).toBe(7000);
  });

  it("a handler that throws gets another turn instead of being forgotten", async () => {
    const { storage } = fakes();
    const alarms = new AlarmScheduler(storage, ["push"], fresh);
    alarms.set("push", 0);
    const before = Date.now();
    const logged = captureLogs("error");
    await alarms.run({ push: async () => Promise.reject(new Error("boom")) }, 10);
    expect(alarms.due("push")).toBeGreaterThanOrEqual(before + 30_000);
    expect(logged).toEqual([{ at: "alarm", purpose: "push", error: "Error: boom" }]);
  });

  it("after a restart, the first alarm gives every purpose a turn, since due times from before are not known", async () => {
    const { storage, calls } = fakes();
    const revived = new AlarmScheduler(storage, ["index", "push"], { resumed: true });
    const ran: string[] = [];
    await revived.run({ index: async () => void ran.push("index"), push: async () => revived.set("push", T + 4242) }, T);
    expect(ran).toEqual(["index"]);
    expect(revived.due("push")).toBe(T + 4242);
    // From then on only what is due runs.
    ran.length = 0;
    await revived.run({ index: async () => void ran.push("index"), push: async () => void ran.push("push") }, T + 5000);
    expect(ran).toEqual(["push"]);
    expect(calls).toEqual([T + 4242]);
  });

  it("after a restart, nothing drops or postpones the stored alarm before it has run: it is set to fire now", async () => {
    // The earlier instance may have left the alarm due for a push retry this one has not heard of.
    const { storage, calls } = fakes();
    const revived = new AlarmScheduler(storage, ["index", "push"], { resumed: true });
    const before = Date.now();
    revived.set("index", T + 10_000);
    revived.set("index", undefined);
    revived.set("index", T + 20_000);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toBeGreaterThanOrEqual(before);
    expect(calls[0]).toBeLessThan(T);
    const ran: string[] = [];
    await revived.run({ index: async () => void ran.push("index"), push: async () => void ran.push("push") }, Date.now());
    expect(ran).toEqual(["index", "push"]);
  });

  it("a new object's scheduler knows no alarm is set: setting none costs nothing", () => {
    const { storage, calls } = fakes();
    new AlarmScheduler(storage, ["index", "push"], fresh).set("push", undefined);
    expect(calls).toEqual([]);
  });
});
