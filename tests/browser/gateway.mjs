// Starts the real gateway (Release build) on a free loopback port with keys this run chose.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function startGateway(root) {
  const dll = join(root, "src", "Personalize.Gateway", "bin", "Release", "net10.0", "Personalize.Gateway.dll");
  const dataDirectory = mkdtempSync(join(tmpdir(), "personalize-browser-"));
  const port = await freePort();
  const gateway = {
    baseUrl: `http://127.0.0.1:${port}`,
    marketerKey: "mk-" + randomBytes(16).toString("hex"),
    storefrontKey: "sk-" + randomBytes(16).toString("hex"),
    output: "",
  };
  const args = [
    dll,
    `--urls=${gateway.baseUrl}`,
    `--ConnectionStrings:Personalize=Data Source=${join(dataDirectory, "personalize.db")}`,
    `--Personalize:Cluster:SiloPort=${await freePort()}`,
    `--Personalize:Cluster:GatewayPort=${await freePort()}`,
    `--Personalize:Auth:MarketerApiKeys:0=${gateway.marketerKey}`,
    `--Personalize:Auth:StorefrontApiKeys:0=${gateway.storefrontKey}`,
    `--Personalize:Auth:ShopperTokenSigningKey=${randomBytes(32).toString("hex")}`,
    "--Personalize:Demo:Enabled=true",
    "--Logging:LogLevel:Default=Warning",
  ];
  const child = spawn("dotnet", args, { cwd: dataDirectory, env: { ...process.env, ASPNETCORE_ENVIRONMENT: "Production" } });
  child.stdout.on("data", (chunk) => { gateway.output += chunk; });
  child.stderr.on("data", (chunk) => { gateway.output += chunk; });
  let exited = null;
  child.on("exit", (code) => { exited = code ?? -1; });

  gateway.stop = async () => {
    if (exited === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => {
        const hard = setTimeout(() => child.kill("SIGKILL"), 15000);
        child.on("exit", () => { clearTimeout(hard); resolve(); });
      });
    }
    rmSync(dataDirectory, { recursive: true, force: true });
  };

  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`gateway exited with ${exited}:\n${gateway.output}`);
    try {
      if ((await fetch(gateway.baseUrl + "/health/ready")).ok) return gateway;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await gateway.stop();
  throw new Error(`gateway not ready within 90 s:\n${gateway.output}`);
}
