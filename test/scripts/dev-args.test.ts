import { describe, expect, it } from "vitest";
import { devArgs } from "../../scripts/dev-args.mjs";

describe("npm run dev: what reaches wrangler dev", () => {
  it("serves 127.0.0.1:8787 by default, PORT moves it", () => {
    expect(devArgs([], {})).toEqual({ port: "8787", ip: "127.0.0.1", rest: [] });
    expect(devArgs([], { PORT: "8790" })).toEqual({ port: "8790", ip: "127.0.0.1", rest: [] });
  });

  it("takes --port and --ip from the command line once, over PORT (wrangler refuses an option given twice)", () => {
    expect(devArgs(["--port", "8788"], { PORT: "8790" })).toEqual({ port: "8788", ip: "127.0.0.1", rest: [] });
    expect(devArgs(["--port=8789", "--ip=0.0.0.0"], {})).toEqual({ port: "8789", ip: "0.0.0.0", rest: [] });
  });

  it("passes every other argument through in order, --var switches included", () => {
    const argv = ["--var", "RATE_LIMITS:off", "--port", "8788", "--var", "ALLOW_ANONYMOUS:false", "--log-level", "debug"];
    expect(devArgs(argv, {})).toEqual({ port: "8788", ip: "127.0.0.1", rest: ["--var", "RATE_LIMITS:off", "--var", "ALLOW_ANONYMOUS:false", "--log-level", "debug"] });
  });

  it("says what is wrong with a port it cannot use", () => {
    expect(() => devArgs(["--port"], {})).toThrow("--port needs a value");
    expect(() => devArgs(["--port", "http"], {})).toThrow("not a port: http");
    expect(() => devArgs([], { PORT: "99999" })).toThrow("not a port: 99999");
  });
});
