/**
 * Every error the platform answers with: its JSON-RPC code, REST status, google.rpc.Code name and ErrorInfo
 * reason. HTTP statuses follow v1.0.0 of the spec (409/415/502), which the official TCK checks.
 */
export const ERRORS = {
  ParseError: { code: -32700, http: 400, status: "INVALID_ARGUMENT", reason: "PARSE_ERROR", message: "Invalid JSON payload" },
  InvalidRequest: { code: -32600, http: 400, status: "INVALID_ARGUMENT", reason: "INVALID_REQUEST", message: "Invalid request" },
  MethodNotFound: { code: -32601, http: 404, status: "NOT_FOUND", reason: "METHOD_NOT_FOUND", message: "Method not found" },
  InvalidParams: { code: -32602, http: 400, status: "INVALID_ARGUMENT", reason: "INVALID_PARAMS", message: "Invalid parameters" },
  Internal: { code: -32603, http: 500, status: "INTERNAL", reason: "INTERNAL", message: "Internal error" },
  TaskNotFound: { code: -32001, http: 404, status: "NOT_FOUND", reason: "TASK_NOT_FOUND", message: "Task not found" },
  TaskNotCancelable: { code: -32002, http: 409, status: "FAILED_PRECONDITION", reason: "TASK_NOT_CANCELABLE", message: "Task cannot be canceled" },
  PushNotificationNotSupported: {
    code: -32003,
    http: 400,
    status: "FAILED_PRECONDITION",
    reason: "PUSH_NOTIFICATION_NOT_SUPPORTED",
    message: "Push notifications are not supported",
  },
  UnsupportedOperation: { code: -32004, http: 400, status: "FAILED_PRECONDITION", reason: "UNSUPPORTED_OPERATION", message: "This operation is not supported" },
  ContentTypeNotSupported: { code: -32005, http: 415, status: "INVALID_ARGUMENT", reason: "CONTENT_TYPE_NOT_SUPPORTED", message: "Content type not supported" },
  InvalidAgentResponse: { code: -32006, http: 502, status: "INTERNAL", reason: "INVALID_AGENT_RESPONSE", message: "Invalid agent response" },
  ExtendedAgentCardNotConfigured: {
    code: -32007,
    http: 400,
    status: "FAILED_PRECONDITION",
    reason: "EXTENDED_AGENT_CARD_NOT_CONFIGURED",
    message: "Extended agent card is not configured",
  },
  ExtensionSupportRequired: { code: -32008, http: 400, status: "FAILED_PRECONDITION", reason: "EXTENSION_SUPPORT_REQUIRED", message: "Extension support required" },
  VersionNotSupported: { code: -32009, http: 400, status: "FAILED_PRECONDITION", reason: "VERSION_NOT_SUPPORTED", message: "Protocol version not supported" },
  // Transport-level failures that are not A2A errors but still get the same two body shapes.
  PayloadTooLarge: { code: -32600, http: 413, status: "INVALID_ARGUMENT", reason: "PAYLOAD_TOO_LARGE", message: "Request body too large" },
  RouteNotFound: { code: -32601, http: 404, status: "NOT_FOUND", reason: "ROUTE_NOT_FOUND", message: "No such resource" },
  MethodNotAllowed: { code: -32601, http: 405, status: "UNIMPLEMENTED", reason: "METHOD_NOT_ALLOWED", message: "HTTP method not allowed on this resource" },
  Unavailable: { code: -32603, http: 503, status: "UNAVAILABLE", reason: "UNAVAILABLE", message: "Service temporarily unavailable" },
  UriTooLong: { code: -32600, http: 414, status: "INVALID_ARGUMENT", reason: "URI_TOO_LONG", message: "Request URL too long" },
  // Identity and quota failures share JSON-RPC's implementation-defined -32000 (A2A reserves -32001 and up);
  // the ErrorInfo reason tells them apart, as it does for REST errors that share a status.
  Unauthenticated: { code: -32000, http: 401, status: "UNAUTHENTICATED", reason: "UNAUTHENTICATED", message: "Authentication required" },
  PermissionDenied: { code: -32000, http: 403, status: "PERMISSION_DENIED", reason: "PERMISSION_DENIED", message: "Permission denied" },
  RateLimited: { code: -32000, http: 429, status: "RESOURCE_EXHAUSTED", reason: "RATE_LIMITED", message: "Too many requests" },
  // The agent registry's admin API (workers/registry): an id that is taken.
  AlreadyExists: { code: -32000, http: 409, status: "ALREADY_EXISTS", reason: "ALREADY_EXISTS", message: "Already exists" },
} as const;

export type ErrorType = keyof typeof ERRORS;
export const ERROR_DOMAIN = "a2a-protocol.org";

export interface FieldViolation {
  field: string;
  description: string;
}

/**
 * The one error class: code throws it, each binding's single catch site renders it.
 * @example throw new A2AError("TaskNotFound", `Task ${id} not found`, { taskId: id });
 */
export class A2AError extends Error {
  constructor(
    readonly type: ErrorType,
    message: string = ERRORS[type].message,
    readonly metadata: Record<string, string> = {},
    readonly fieldViolations: FieldViolation[] = [],
  ) {
    super(message);
    this.name = "A2AError";
  }

  get spec() {
    return ERRORS[this.type];
  }

  /** `google.rpc.Status.details` / JSON-RPC `error.data`: ErrorInfo first, then BadRequest when fields failed. */
  details(): Record<string, unknown>[] {
    const details: Record<string, unknown>[] = [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: this.spec.reason,
        domain: ERROR_DOMAIN,
        ...(Object.keys(this.metadata).length > 0 ? { metadata: this.metadata } : {}),
      },
    ];
    if (this.fieldViolations.length > 0) {
      details.push({ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: this.fieldViolations });
    }
    return details;
  }

  /** A plain object that survives Durable Object RPC (class identity does not). */
  toJSON(): SerializedA2AError {
    return { type: this.type, message: this.message, metadata: this.metadata, fieldViolations: this.fieldViolations };
  }

  static from(serialized: SerializedA2AError): A2AError {
    return new A2AError(serialized.type, serialized.message, serialized.metadata, serialized.fieldViolations);
  }
}

export interface SerializedA2AError {
  type: ErrorType;
  message: string;
  metadata: Record<string, string>;
  fieldViolations: FieldViolation[];
}

/** Turns zod issues into an InvalidParams error with one BadRequest field violation per issue. */
export function invalidParams(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>, prefix = ""): A2AError {
  const fieldViolations = issues.slice(0, 20).map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join("."),
    description: issue.message,
  }));
  const summary = fieldViolations.map((v) => (v.field ? `${v.field}: ${v.description}` : v.description)).join("; ");
  return new A2AError("InvalidParams", `Invalid parameters: ${summary}`, {}, fieldViolations);
}
