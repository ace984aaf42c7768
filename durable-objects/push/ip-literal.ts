/**
 * What an IP literal points at, for refusal messages. Input is a host as the WHATWG URL parser renders it:
 * every IPv4 notation (decimal, hex, octal, short forms, full-width digits) is already a dotted quad, and
 * IPv6 is bracketed and compressed. Ranges from the IANA special-purpose registries (RFC 6890 and updates).
 */

type Range = readonly [prefix: bigint, bits: number, description: string];

const IPV4_RANGES: Range[] = [
  v4("169.254.169.254", 32, "a cloud metadata address"),
  v4("100.100.100.200", 32, "a cloud metadata address"),
  v4("0.0.0.0", 8, "a 'this network' address"),
  v4("10.0.0.0", 8, "a private address"),
  v4("100.64.0.0", 10, "a carrier-grade NAT address"),
  v4("127.0.0.0", 8, "a loopback address"),
  v4("169.254.0.0", 16, "a link-local address"),
  v4("172.16.0.0", 12, "a private address"),
  v4("192.0.0.0", 24, "an IETF protocol address"),
  v4("192.0.2.0", 24, "a documentation address"),
  v4("192.168.0.0", 16, "a private address"),
  v4("198.18.0.0", 15, "a benchmarking address"),
  v4("198.51.100.0", 24, "a documentation address"),
  v4("203.0.113.0", 24, "a documentation address"),
  v4("224.0.0.0", 4, "a multicast address"),
  v4("240.0.0.0", 4, "a reserved address"),
];

const IPV6_RANGES: Range[] = [
  v6("fd00:ec2::254", 128, "a cloud metadata address"),
  v6("::", 128, "the unspecified address"),
  v6("::1", 128, "a loopback address"),
  v6("fe80::", 10, "a link-local address"),
  v6("fc00::", 7, "a private (unique local) address"),
  v6("ff00::", 8, "a multicast address"),
  v6("2001:db8::", 32, "a documentation address"),
];

/** IPv6 forms that carry an IPv4 address: the embedded address decides (`::ffff:127.0.0.1` is loopback). */
const EMBEDDING_V4: ReadonlyArray<readonly [prefix: bigint, bits: number, shift: bigint]> = [
  [parseV6("::ffff:0:0")!, 96, 0n], // IPv4-mapped
  [parseV6("::")!, 96, 0n], // IPv4-compatible (deprecated)
  [parseV6("64:ff9b::")!, 96, 0n], // NAT64
  [parseV6("2002::")!, 16, 80n], // 6to4
];

export function isIpLiteral(hostname: string): boolean {
  return hostname.startsWith("[") || parseV4(hostname) !== undefined;
}

/** "a loopback address", "a cloud metadata address", … or "a public address". */
export function describeIp(hostname: string): string {
  if (!hostname.startsWith("[")) {
    const v4Value = parseV4(hostname);
    return v4Value === undefined ? "not an IP address" : describeV4(v4Value);
  }
  const value = parseV6(hostname.slice(1, -1));
  if (value === undefined) return "not an IP address";
  for (const [prefix, bits, shift] of EMBEDDING_V4) {
    if (inRange(value, prefix, bits, 128) && value !== 0n && value !== 1n) {
      return `${describeV4((value >> shift) & 0xffffffffn)} (inside IPv6)`;
    }
  }
  return IPV6_RANGES.find(([prefix, bits]) => inRange(value, prefix, bits, 128))?.[2] ?? "a public address";
}

function describeV4(value: bigint): string {
  if (value === 0xffffffffn) return "the broadcast address";
  return IPV4_RANGES.find(([prefix, bits]) => inRange(value, prefix, bits, 32))?.[2] ?? "a public address";
}

const inRange = (value: bigint, prefix: bigint, bits: number, width: number) =>
  value >> BigInt(width - bits) === prefix >> BigInt(width - bits);

function parseV4(text: string): bigint | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
}

function parseV6(text: string): bigint | undefined {
  let body = text;
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(body);
  if (tail) {
    const v4Value = parseV4(tail[1]!);
    if (v4Value === undefined) return undefined;
    body = `${body.slice(0, tail.index)}${(v4Value >> 16n).toString(16)}:${(v4Value & 0xffffn).toString(16)}`;
  }
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function v4(address: string, bits: number, description: string): Range {
  return [parseV4(address)!, bits, description];
}

function v6(address: string, bits: number, description: string): Range {
  return [parseV6(address)!, bits, description];
}
