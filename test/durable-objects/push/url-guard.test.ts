import { afterEach, describe, expect, it, vi } from "vitest";
import { allowListOf, parsePattern } from "../../../durable-objects/push/allow-list";
import { pushConfigViolations } from "../../../durable-objects/push/config-guard";
import { describeIp } from "../../../durable-objects/push/ip-literal";
import { checkWebhookUrl } from "../../../durable-objects/push/url-guard";
import { HOSTILE_URLS } from "../../helpers/hostile-urls";
import { captureLogs } from "../../helpers/logs";

const NO_ALLOW_LIST = allowListOf({});

afterEach(() => vi.restoreAllMocks());

describe("SSRF guard on webhook URLs (REFERENCE §6: validate webhook URLs)", () => {
  it(`has a table of at least 30 hostile URLs`, () => {
    expect(HOSTILE_URLS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(HOSTILE_URLS)("refuses %s (%s)", (url, why) => {
    const check = checkWebhookUrl(url, NO_ALLOW_LIST);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(why);
  });

  it.each([
    "https://example.com/hook",
    "https://hooks.example.com:8443/a2a/notify?tenant=acme",
    "https://пример.рф/hook",
    "https://xn--e1afmkfd.xn--p1ai/hook",
    "https://api.example.co.uk/v1/hooks#frag",
  ])("accepts the public https URL %s", (url) => {
    expect(checkWebhookUrl(url, NO_ALLOW_LIST).ok).toBe(true);
  });
});

describe("the allow-list (PUSH_ALLOWED_URLS) is the only way around the guard", () => {
  const devList = allowListOf({ PUSH_ALLOWED_URLS: "http://127.0.0.1:*, http://localhost:*/hooks/*, https://hooks.internal.example" });

  it.each([
    "http://127.0.0.1:9999/anything",
    "http://127.0.0.1/no-port",
    "http://localhost:3000/hooks/tck",
    "https://hooks.internal.example/a2a",
  ])("lets %s through", (url) => {
    expect(checkWebhookUrl(url, devList).ok).toBe(true);
  });

  it.each([
    ["http://127.0.0.2:9999/", /uses http:/],
    ["https://127.0.0.2/", /IP address 127\.0\.0\.2, a loopback/],
    ["https://127.0.0.1:9999/", /IP address 127\.0\.0\.1/],
    ["http://localhost:3000/other", /uses http:/],
    ["http://hooks.internal.example/", /uses http:/],
    ["http://user:pw@127.0.0.1:9999/", /userinfo/],
    ["http://[::1]:9999/", /uses http:/],
  ])("does not stretch to %s", (url, why) => {
    const check = checkWebhookUrl(url, devList);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(why);
  });

  it("is off by default, and a pattern that does not parse is ignored rather than widening anything, with a warning", () => {
    const warned = captureLogs("warn");
    expect(allowListOf({})).toEqual([]);
    expect(allowListOf({ PUSH_ALLOWED_URLS: "127.0.0.1, *, http://*:*, ftp://x" })).toEqual([]);
    expect(warned).toEqual(["127.0.0.1", "*", "http://*:*", "ftp://x"].map((ignored) => ({ at: "push-allow-list", ignored })));
    expect(parsePattern("http://127.0.0.1:*")).toEqual({ protocol: "http:", hostname: "127.0.0.1", port: "*", pathPrefix: "" });
    expect(parsePattern("https://h.example:443/p/*")).toEqual({ protocol: "https:", hostname: "h.example", port: "", pathPrefix: "/p/" });
  });
});

describe("tokens and credentials become headers: CR/LF and the like are refused", () => {
  const url = "https://example.com/hook";
  it.each([
    ["token", { url, token: "abc\r\nX-Injected: 1" }],
    ["token", { url, token: "abc\ndef" }],
    ["token", { url, token: "tab\tand\u0000nul" }],
    ["token", { url, token: "caf\u00e9" }],
    ["authentication.credentials", { url, authentication: { scheme: "Bearer", credentials: "x\r\nHost: evil" } }],
    ["authentication.scheme", { url, authentication: { scheme: "Bearer\r\nX: y", credentials: "t" } }],
    ["authentication.scheme", { url, authentication: { scheme: "Bearer token", credentials: "t" } }],
    ["token", { url, token: "t".repeat(1025) }],
  ])("refuses a bad %s", (field, config) => {
    expect(pushConfigViolations(config, {}).map((v) => v.field)).toEqual([field]);
  });

  it("accepts ordinary values and names every bad field at once", () => {
    expect(pushConfigViolations({ url, token: "tok-123", authentication: { scheme: "Basic", credentials: "dXNlcjpwdw==" } }, {})).toEqual([]);
    const all = pushConfigViolations({ url: "http://10.0.0.1/", token: "a\nb", authentication: { scheme: "B\n", credentials: "c\r" } }, {}, "configuration.taskPushNotificationConfig");
    expect(all.map((v) => v.field)).toEqual([
      "configuration.taskPushNotificationConfig.url",
      "configuration.taskPushNotificationConfig.token",
      "configuration.taskPushNotificationConfig.authentication.scheme",
      "configuration.taskPushNotificationConfig.authentication.credentials",
    ]);
  });
});

describe("IP literal classification (for the refusal message)", () => {
  it.each([
    ["127.0.0.1", "a loopback address"],
    ["169.254.169.254", "a cloud metadata address"],
    ["100.100.100.200", "a cloud metadata address"],
    ["100.64.1.1", "a carrier-grade NAT address"],
    ["172.31.255.255", "a private address"],
    ["172.32.0.1", "a public address"],
    ["255.255.255.255", "the broadcast address"],
    ["[::ffff:7f00:1]", "a loopback address (inside IPv6)"],
    ["[::ffff:a9fe:a9fe]", "a cloud metadata address (inside IPv6)"],
    ["[64:ff9b::a00:1]", "a private address (inside IPv6)"],
    ["[2002:c0a8:101::1]", "a private address (inside IPv6)"],
    ["[fd00:ec2::254]", "a cloud metadata address"],
    ["[fe80::1]", "a link-local address"],
    ["[::1]", "a loopback address"],
    ["[::]", "the unspecified address"],
    ["[2606:4700::1111]", "a public address"],
  ])("%s is %s", (host, description) => {
    expect(describeIp(host)).toBe(description);
  });
});
