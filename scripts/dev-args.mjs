// What `npm run dev` passes to `wrangler dev`, from its own arguments and environment (no Node APIs: the suite
// tests it inside workerd).

/**
 * `--port` and `--ip` given after `npm run dev --` win over `PORT` and the defaults, and are passed once: wrangler
 * refuses an option given twice. Every other argument goes to wrangler as it is.
 * @param {string[]} argv  the arguments after `npm run dev --`
 * @param {{ PORT?: string }} env
 * @returns {{ port: string, ip: string, rest: string[] }}
 */
export function devArgs(argv, env) {
  let port = env.PORT || "8787";
  let ip = "127.0.0.1";
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (name !== "--port" && name !== "--ip") {
      rest.push(arg);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === "") throw new Error(`${name} needs a value`);
    if (name === "--port") port = value;
    else ip = value;
  }
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw new Error(`not a port: ${port}`);
  return { port, ip, rest };
}
