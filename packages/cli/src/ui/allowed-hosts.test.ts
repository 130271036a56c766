import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { allowedHostNames, hostAllowed, isLoopback } from "./allowed-hosts.js";

describe("hostAllowed", () => {
  it("answers IP addresses, localhost and the allowed names, with or without a port, in any case", () => {
    const names = ["dash.example.com"];
    for (const host of [
      "127.0.0.1:8080",
      "10.1.2.3",
      "[::1]:8080",
      "[fe80::1]",
      "localhost:8080",
      "LOCALHOST",
      "app.localhost:8080",
      "dash.example.com:443",
      "DASH.example.com.",
      undefined,
    ])
      expect(hostAllowed(host, names), String(host)).toBe(true);
  });

  it("refuses any other name: a DNS-rebinding page's", () => {
    for (const host of [
      "evil.example:8080",
      "127.0.0.1.nip.io",
      "localhost.evil.example",
      "example.com",
      "dash.example.com.evil.example",
      "",
    ])
      expect(hostAllowed(host, ["dash.example.com"]), host).toBe(false);
  });
});

describe("allowedHostNames", () => {
  it("adds the name listened on, and this machine's hostname when listening beyond loopback", () => {
    expect(allowedHostNames("127.0.0.1")).toEqual([]);
    expect(allowedHostNames("localhost", ["Dash.Example.com", " "])).toEqual(["dash.example.com"]);
    expect(allowedHostNames("gpubox.lan")).toEqual(["gpubox.lan"]);
    expect(allowedHostNames("0.0.0.0")).toEqual([hostname().toLowerCase()]);
    expect(allowedHostNames("::", ["a.example"])).toEqual(["a.example", hostname().toLowerCase()]);
  });
});

describe("isLoopback", () => {
  it("warns for addresses other machines reach, not for loopback ones", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]"])
      expect(isLoopback(h), h).toBe(true);
    for (const h of ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", "128.0.0.1"])
      expect(isLoopback(h), h).toBe(false);
  });
});
