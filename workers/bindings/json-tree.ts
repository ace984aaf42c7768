import { A2AError } from "../../schema/a2a";

export const MAX_JSON_DEPTH = 128;

interface Node {
  value: unknown;
  depth: number;
  key: string;
  parent: Node | undefined;
}

const pathOf = (node: Node) => {
  const keys: string[] = [];
  for (let n: Node | undefined = node; n?.parent; n = n.parent) keys.unshift(n.key);
  return keys.join(".");
};

/**
 * One iterative walk over request params before any schema sees them: refuses nesting deeper than
 * MAX_JSON_DEPTH (validators and structured clone recurse, and would overflow the stack) and strings that are
 * not well-formed Unicode (proto strings must be valid UTF-8; a lone surrogate cannot be).
 */
export function checkJsonTree(root: unknown): void {
  const stack: Node[] = [{ value: root, depth: 0, key: "", parent: undefined }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value } = node;
    if (typeof value === "string") {
      if (!value.isWellFormed()) throw violation(node, "must be well-formed Unicode (no lone surrogates)");
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (node.depth >= MAX_JSON_DEPTH) throw violation(node, `nests deeper than ${MAX_JSON_DEPTH} levels`);
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [key, child] of entries) {
      if (!key.isWellFormed()) throw violation(node, "has a key that is not well-formed Unicode");
      stack.push({ value: child, depth: node.depth + 1, key, parent: node });
    }
  }
}

function violation(node: Node, description: string): A2AError {
  const field = pathOf(node);
  return new A2AError("InvalidParams", `Invalid parameters: ${field || "request"} ${description}`, {}, [{ field, description }]);
}
