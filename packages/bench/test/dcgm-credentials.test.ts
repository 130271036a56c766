import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createPowerSampler, dcgmSampler, TelemetryError } from "../src/index.js";

const PASSWORD = "pw-dcgm-secret-7";
const POWER = 'DCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="GPU-0"} 612.5\n';

/** A real dcgm-exporter stand-in behind Basic auth: `me` and PASSWORD, else 401; `body` is what it answers then. */
async function exporterWithAuth(body: string) {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    const ok =
      req.headers.authorization === `Basic ${Buffer.from(`me:${PASSWORD}`).toString("base64")}`;
    res.writeHead(ok ? 200 : 401, { "content-type": "text/plain" });
    res.end(ok ? body : "unauthorized");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (userinfo: string) => `http://${userinfo}127.0.0.1:${port}/metrics`,
    seen,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe("DCGM exporter URL with a user and password", () => {
  it("sends them as Basic, as curl does, and reads the power", async () => {
    const exporter = await exporterWithAuth(POWER);
    try {
      const sampler = await createPowerSampler("dcgm", {
        dcgmUrl: exporter.url(`me:${PASSWORD}@`),
        intervalMs: 20,
      });
      await sampler!.start();
      const samples = await sampler!.stop();
      expect(samples.length).toBeGreaterThan(0);
      expect(samples.every((s) => s.gpu === 0 && s.watts === 612.5)).toBe(true);
      expect(exporter.seen.every((h) => h.authorization?.startsWith("Basic "))).toBe(true);
    } finally {
      await exporter.close();
    }
  });

  it("says what failed without the password: refused, no power field, a node that does not answer", async () => {
    const exporter = await exporterWithAuth("# no DCGM fields here\n");
    try {
      const shown = exporter.url("me:***@");
      await expect(
        createPowerSampler("dcgm", { dcgmUrl: exporter.url("me:wrong-pw-secret-8@") }),
      ).rejects.toThrow(new TelemetryError(`dcgm is not available: ${shown} answered 401`));
      await expect(
        createPowerSampler("dcgm", { dcgmUrl: exporter.url(`me:${PASSWORD}@`) }),
      ).rejects.toThrow(
        new TelemetryError(`dcgm is not available: ${shown} has no DCGM_FI_DEV_POWER_USAGE`),
      );
      const dead = "http://me:pw-dead-secret-9@127.0.0.1:9/metrics";
      const error = await createPowerSampler("dcgm", { dcgmUrl: dead }).catch((e: Error) => e);
      expect((error as Error).message).toBe(
        "dcgm is not available: no DCGM exporter at http://me:***@127.0.0.1:9/metrics (fetch failed)",
      );
      const spread = dcgmSampler({
        url: dead,
        intervalMs: 20,
        spread: { launcher: ["srun"], nodes: 1, hosts: ["127.0.0.1"] },
      });
      const failed = await spread.start().catch((e: Error) => e);
      expect((failed as Error).message).toMatch(/http:\/\/me:\*\*\*@127\.0\.0\.1:9\/metrics/);
      expect((failed as Error).message).not.toContain("secret");
    } finally {
      await exporter.close();
    }
  }, 20_000);
});
