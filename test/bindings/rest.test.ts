import { describe, expect, it } from "vitest";
import { makeMessage, reasonOf, rest } from "../helpers/a2a";

function expectError(result: { status: number; body: any; response: Response }, status: number, grpcStatus: string, reason: string) {
  expect(result.status).toBe(status);
  expect(result.response.headers.get("Content-Type")).toContain("application/json");
  expect(result.body.error).toMatchObject({ code: status, status: grpcStatus, message: expect.any(String) });
  expect(reasonOf(result.body.error.details)).toBe(reason);
}

async function sendRest(message = makeMessage(), configuration?: Record<string, unknown>, prefix = "") {
  const result = await rest("POST", `${prefix}/message:send`, { message, ...(configuration ? { configuration } : {}) });
  if (result.status !== 200) throw new Error(`message:send failed: ${JSON.stringify(result.body)}`);
  return result.body;
}

describe("REST POST /message:send (§3.1.1)", () => {
  it("returns {task} completed, with a JSON content type", async () => {
    const result = await rest("POST", "/message:send", { message: makeMessage({}, "rest") });
    expect(result.status).toBe(200);
    expect(result.response.headers.get("Content-Type")).toContain("application/json");
    expect(result.body.task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(result.body.task.status.message.parts[0].text).toBe("You said: rest");
  });

  it("returns {message} for tck-message-response", async () => {
    const body = await sendRest(makeMessage({ messageId: `tck-message-response-${crypto.randomUUID()}` }));
    expect(body.message.parts[0].text).toBe("Direct message response");
  });

  it("accepts application/a2a+json and charset parameters", async () => {
    const result = await rest("POST", "/message:send", { message: makeMessage() }, { "Content-Type": "application/a2a+json; charset=utf-8" });
    expect(result.status).toBe(200);
  });

  it("a non-JSON Content-Type → 415", async () => {
    const result = await rest("POST", "/message:send", "message=hi", { "Content-Type": "application/x-www-form-urlencoded" });
    expectError(result, 415, "INVALID_ARGUMENT", "CONTENT_TYPE_NOT_SUPPORTED");
  });

  it("a message to a terminal task → 400 UNSUPPORTED_OPERATION", async () => {
    const done = await sendRest();
    const result = await rest("POST", "/message:send", { message: makeMessage({ taskId: done.task.id }) });
    expectError(result, 400, "FAILED_PRECONDITION", "UNSUPPORTED_OPERATION");
  });

  it("a missing message → 400 with a field violation", async () => {
    const result = await rest("POST", "/message:send", {});
    expectError(result, 400, "INVALID_ARGUMENT", "INVALID_PARAMS");
    const badRequest = result.body.error.details.find((d: any) => d["@type"].endsWith("BadRequest"));
    expect(badRequest.fieldViolations[0].field).toBe("message");
  });
});

describe("REST tasks (§3.1.3, §3.1.5)", () => {
  it("GET /tasks/{id} returns the bare Task; ?historyLength is typed from the query", async () => {
    const created = await sendRest();
    const result = await rest("GET", `/tasks/${created.task.id}?historyLength=1`);
    expect(result.status).toBe(200);
    expect(result.body.id).toBe(created.task.id);
    expect(result.body.history).toHaveLength(1);
    const snake = await rest("GET", `/tasks/${created.task.id}?history_length=0`);
    expect(snake.body).not.toHaveProperty("history");
  });

  it("GET /tasks/{unknown} → 404 TASK_NOT_FOUND", async () => {
    expectError(await rest("GET", `/tasks/${crypto.randomUUID()}`), 404, "NOT_FOUND", "TASK_NOT_FOUND");
  });

  it("POST /tasks/{id}:cancel cancels an interrupted task, with or without a body", async () => {
    const waiting = await sendRest(makeMessage({ messageId: `tck-input-required-${crypto.randomUUID()}` }));
    const result = await rest("POST", `/tasks/${waiting.task.id}:cancel`);
    expect(result.status).toBe(200);
    expect(result.body.status.state).toBe("TASK_STATE_CANCELED");
    const other = await sendRest(makeMessage({ messageId: `tck-input-required-${crypto.randomUUID()}` }));
    const withBody = await rest("POST", `/tasks/${other.task.id}:cancel`, { metadata: { reason: "test" } });
    expect(withBody.body.status.state).toBe("TASK_STATE_CANCELED");
  });

  it("cancel of a completed task → 409 TASK_NOT_CANCELABLE; of an unknown one → 404", async () => {
    const done = await sendRest();
    expectError(await rest("POST", `/tasks/${done.task.id}:cancel`, {}), 409, "FAILED_PRECONDITION", "TASK_NOT_CANCELABLE");
    expectError(await rest("POST", `/tasks/${crypto.randomUUID()}:cancel`, {}), 404, "NOT_FOUND", "TASK_NOT_FOUND");
  });

  it("GET on a :cancel path → 405 with Allow", async () => {
    const result = await rest("GET", "/tasks/abc:cancel");
    expectError(result, 405, "UNIMPLEMENTED", "METHOD_NOT_ALLOWED");
    expect(result.response.headers.get("Allow")).toBe("POST");
  });

  it("GET /tasks with a bad pageSize → 400 INVALID_PARAMS", async () => {
    expectError(await rest("GET", "/tasks?pageSize=0"), 400, "INVALID_ARGUMENT", "INVALID_PARAMS");
    expectError(await rest("GET", "/tasks?includeArtifacts=yes"), 400, "INVALID_ARGUMENT", "INVALID_PARAMS");
  });
});

describe("REST /{tenant} prefix (§2, §9)", () => {
  it("a task created under a tenant is found under that tenant only", async () => {
    const created = await sendRest(makeMessage(), undefined, "/acme");
    expect((await rest("GET", `/acme/tasks/${created.task.id}`)).status).toBe(200);
    expectError(await rest("GET", `/tasks/${created.task.id}`), 404, "NOT_FOUND", "TASK_NOT_FOUND");
    expectError(await rest("GET", `/globex/tasks/${created.task.id}`), 404, "NOT_FOUND", "TASK_NOT_FOUND");
  });

  it("a body tenant that contradicts the path → 400", async () => {
    const result = await rest("POST", "/acme/message:send", { tenant: "globex", message: makeMessage() });
    expectError(result, 400, "INVALID_ARGUMENT", "INVALID_PARAMS");
  });
});

describe("REST errors outside any operation", () => {
  it("an unknown route → 404 in the REST error shape", async () => {
    expectError(await rest("GET", "/nothing/here/at/all"), 404, "NOT_FOUND", "ROUTE_NOT_FOUND");
  });

  it("A2A-Version 99.0 → 400 VERSION_NOT_SUPPORTED, also as a query parameter", async () => {
    expectError(await rest("GET", "/tasks/x", undefined, { "A2A-Version": "99.0" }), 400, "FAILED_PRECONDITION", "VERSION_NOT_SUPPORTED");
    const query = await rest("GET", "/tasks/x?A2A-Version=2.1", undefined, { "A2A-Version": "" });
    expectError(query, 400, "FAILED_PRECONDITION", "VERSION_NOT_SUPPORTED");
  });
});
