/**
 * Webhook URLs an attacker would register to make the server call inward, each with the part of the
 * refusal message that must explain it. Shared by the guard's unit test and the API tests (where the test
 * allow-list admits only the local receiver's exact origin and path, so none of these match it).
 */
export const HOSTILE_URLS: ReadonlyArray<readonly [url: string, why: RegExp]> = [
  // Not https
  ["http://example.com/hook", /uses http: but webhooks must use https/],
  ["ftp://example.com/hook", /uses ftp:/],
  ["file:///etc/passwd", /not an absolute URL|uses file:/],
  ["javascript:alert(1)", /not an absolute URL/],
  ["gopher://127.0.0.1:6379/_FLUSHALL", /uses gopher:/],
  ["https:example.com/hook", /not an absolute URL/],
  ["//example.com/hook", /not an absolute URL/],
  ["not a url", /whitespace/],
  // Loopback in every IPv4 notation (the URL parser turns them all into 127.0.0.1)
  ["https://127.0.0.1/hook", /loopback/],
  ["https://127.1/hook", /loopback/],
  ["https://2130706433/hook", /loopback/],
  ["https://0x7f000001/hook", /loopback/],
  ["https://0x7f.0.0.1/hook", /loopback/],
  ["https://0177.0.0.1/hook", /loopback/],
  ["https://017700000001/hook", /loopback/],
  ["https://0x7f.1/hook", /loopback/],
  ["https://\uff11\uff12\uff17.\uff10.\uff10.\uff11/hook", /loopback/],
  ["https://0/hook", /'this network'/],
  ["https://0.0.0.0/hook", /'this network'/],
  // Loopback and friends in IPv6
  ["https://[::1]/hook", /loopback/],
  ["https://[::ffff:127.0.0.1]/hook", /loopback address \(inside IPv6\)/],
  ["https://[0:0:0:0:0:ffff:7f00:1]/hook", /loopback address \(inside IPv6\)/],
  ["https://[::127.0.0.1]/hook", /loopback address \(inside IPv6\)/],
  ["https://[64:ff9b::7f00:1]/hook", /loopback address \(inside IPv6\)/],
  ["https://[::]/hook", /unspecified/],
  // Cloud metadata
  ["https://169.254.169.254/latest/meta-data/", /cloud metadata/],
  ["https://[::ffff:169.254.169.254]/latest/meta-data/", /cloud metadata/],
  ["https://[fd00:ec2::254]/latest/meta-data/", /cloud metadata/],
  ["https://100.100.100.200/latest/meta-data/", /cloud metadata/],
  ["https://metadata.google.internal/computeMetadata/v1/", /cloud metadata/],
  ["https://metadata/computeMetadata/v1/", /cloud metadata/],
  ["https://instance-data.ec2.internal/latest/", /cloud metadata/],
  // Private, link-local, CGNAT, multicast
  ["https://10.0.0.1/hook", /private address/],
  ["https://172.16.0.1/hook", /private address/],
  ["https://192.168.1.1/hook", /private address/],
  ["https://169.254.1.1/hook", /link-local/],
  ["https://100.64.0.1/hook", /carrier-grade NAT/],
  ["https://224.0.0.1/hook", /multicast/],
  ["https://255.255.255.255/hook", /broadcast/],
  ["https://[fe80::1]/hook", /link-local/],
  ["https://[fc00::1]/hook", /unique local/],
  ["https://[ff02::1]/hook", /multicast/],
  // Any IP literal, even a public one: webhooks name hosts
  ["https://8.8.8.8/hook", /public address; webhooks must use a public DNS name/],
  ["https://[2606:4700:4700::1111]/hook", /public address/],
  // Local and private names
  ["https://localhost/hook", /local machine/],
  ["https://localhost./hook", /local machine/],
  ["https://LOCALHOST/hook", /local machine/],
  ["https://api.localhost/hook", /local machine/],
  ["https://printer.local/hook", /private-network name/],
  ["https://db.internal/hook", /private-network name/],
  ["https://router.home.arpa/hook", /private-network name/],
  ["https://intranet/hook", /single-label/],
  // Names that resolve to the address they spell
  ["https://127.0.0.1.nip.io/hook", /wildcard-DNS|embeds an IP/],
  ["https://app.10.0.0.1.sslip.io/hook", /wildcard-DNS|embeds an IP/],
  ["https://localtest.me/hook", /wildcard-DNS/],
  ["https://192.168.0.1.example.com/hook", /embeds an IP/],
  // Userinfo tricks
  ["https://user:pass@example.com/hook", /userinfo/],
  ["https://example.com@127.0.0.1/hook", /userinfo/],
  ["https://@example.com/hook", /userinfo/],
  ["https://example.com%40127.0.0.1/hook", /not a valid URL/],
  ["https://example.com\\@127.0.0.1/hook", /backslash/],
  ["https://127.0.0.1#@example.com/hook", /loopback/],
  // Header and length abuse
  ["https://example.com/hook\r\nX-Injected: 1", /control characters/],
  [`https://example.com/${"a".repeat(2100)}`, /longer than 2048/],
];
