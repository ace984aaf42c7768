import { describe, expect, it } from "vitest";
import { AlarmScheduler } from "../../durable-objects/alarms";

/** The object's alarm and meta rows, in memory: what the scheduler asked for is what these record. */
function fakes() {
  const meta = new Map<string, string>();
  const calls: Array<number | null> = [];
  const storage = {
    setAlarm: async (at: number | Date) => void calls.push(Number(at)),
    deleteAlarm: async () => void calls.push(null),
  };
  const store = { getMeta: (key: string) => meta.get(key), setMeta: (key: string, value: string) => void meta.set(key, value) };
  return { meta, calls, storage, store };
}

/** Due times in the future, so that none is clamped to the present. */
const T = Date.now() + 3_600_000;

describe("one alarm, several purposes", () => {
  it("keeps the alarm at the earliest due time and writes nothing when nothing changes", () => {
    const { calls, storage, store } = fakes();
    const alarms = new AlarmScheduler(storage, store, ["index", "push"]);
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
    const { calls, storage, store } = fakes();
    const alarms = new AlarmScheduler(storage, store, ["index", "push"]);
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
    const { calls, storage, store } = fakes();
    const before = Date.now();
    new AlarmScheduler(storage, store, ["push"]).set("push", 0);
    expect(calls[0]).toBeGreaterThanOrEqual(before);
  });

  it("a handler that sets its own next turn keeps it", async () => {
    const { storage, store } = fakes();
    const alarms = new AlarmScheduler(storage, store, ["index"]);
    alarms.set("index", 0);
    await alarms.run({ index: async () => alarms.set("index", 7000) }, 10);
    expect(alarms.due("index")).toBe(7000);
  });

  it("a handler that throws gets another turn instead of being forgotten", async () => {
    const { storage, store } = fakes();
    const alarms = new AlarmScheduler(storage, store, ["push"]);
    alarms.set("push", 0);
    const before = Date.now();
    await alarms.run({ push: async () => Promise.reject(new Error("boom")) }, 10);
    expect(alarms.due("push")).toBeGreaterThanOrEqual(before + 30_000);
  });

  it("due times survive the instance: a new scheduler over the same rows knows them", async () => {
    const { storage, store, calls } = fakes();
    new AlarmScheduler(storage, store, ["index", "push"]).set("push", T + 4242);
    const revived = new AlarmScheduler(storage, store, ["index", "push"]);
    expect(revived.due("push")).toBe(T + 4242);
    const ran: string[] = [];
    await revived.run({ index: async () => void ran.push("index"), push: async () => void ran.push("push") }, T + 5000);
    expect(ran).toEqual(["push"]);
    // The alarm that woke it is spent, so nothing needs deleting.
    expect(calls).toEqual([T + 4242]);
  });
});
