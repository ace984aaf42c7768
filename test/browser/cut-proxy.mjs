// A TCP pass-through in front of the Worker that the browser tests can tell to cut every open connection at
// once, as a network drop would: a stream in flight breaks without a goodbye, and the console has to notice
// and resume it. Control: POST /cut on the control port (answers how many connections were cut).
import { createServer as createHttpServer } from "node:http";
import { createServer, connect } from "node:net";

export async function startCutProxy(targetPort) {
  const open = new Set();
  const proxy = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    const pair = { client, upstream };
    open.add(pair);
    const drop = () => {
      open.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const control = createHttpServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/cut") return res.writeHead(404).end();
    const cut = open.size;
    // resetAndDestroy sends RST: the browser sees the connection fail, not a clean end of the response.
    for (const { client, upstream } of open) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    open.clear();
    res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ cut }));
  });
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  await new Promise((resolve) => control.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${proxy.address().port}`,
    controlUrl: `http://127.0.0.1:${control.address().port}`,
    close: () => Promise.all([new Promise((resolve) => proxy.close(resolve)), new Promise((resolve) => control.close(resolve))]).then(() => {
      for (const { client, upstream } of open) (client.destroy(), upstream.destroy());
    }),
  };
}
