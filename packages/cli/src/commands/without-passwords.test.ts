import { describe, expect, it } from "vitest";
import { withoutPasswords } from "./without-passwords.js";

describe("withoutPasswords", () => {
  it("masks the password of every URL in a text, also as path.resolve writes a URL", () => {
    expect(
      withoutPasswords("postgres://u:p@ss@db/x and https://me:pw@h/a.json: no such file"),
    ).toBe("postgres://u:***@db/x and https://me:***@h/a.json: no such file");
    expect(withoutPasswords("/work/https:/me:pw@h/a.json: no such file")).toBe(
      "/work/https:/me:***@h/a.json: no such file",
    );
  });

  it("masks a user that is a token, as shownUrl does, and keeps a user's name", () => {
    // before, each token was shown whole
    expect(
      withoutPasswords(
        "https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@raw.githubusercontent.com/o/r/main/p.json: no such file or folder",
      ),
    ).toBe("https://***@raw.githubusercontent.com/o/r/main/p.json: no such file or folder");
    expect(
      withoutPasswords("/work/https:/hf_AbCdEfGhIjKlMnOp@huggingface.co/x.json: is a folder"),
    ).toBe("/work/https:/***@huggingface.co/x.json: is a folder");
    expect(withoutPasswords("git clone https://glpat-abcdef1234567890@gitlab.com/o/r")).toBe(
      "git clone https://***@gitlab.com/o/r",
    );
    const names =
      "ssh://git@github.com/o/r.git, https://me@h/x, sftp://ubuntu@gpu-1/data, mailto:me@x.org";
    expect(withoutPasswords(names)).toBe(names);
  });

  it("masks the values of a query's credentials by the names shownUrl takes, and no other", () => {
    // a presigned S3 URL and an Azure SAS given as an input file: before, `?token=` alone was masked, and only where
    // a command's filter took it for an assignment
    expect(
      withoutPasswords(
        "https://b.s3.amazonaws.com/k.json?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F1&X-Amz-Security-Token=tk1&X-Amz-Expires=60&X-Amz-Signature=ab12: no such file or folder",
      ),
    ).toBe(
      "https://b.s3.amazonaws.com/k.json?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=***&X-Amz-Security-Token=***&X-Amz-Expires=60&X-Amz-Signature=***: no such file or folder",
    );
    expect(
      withoutPasswords(
        "/w/https:/a.blob.core.windows.net/c/x.json?sv=2024&sig=s%2Bg%3D: is a folder",
      ),
    ).toBe("/w/https:/a.blob.core.windows.net/c/x.json?sv=2024&sig=***: is a folder");
    expect(
      withoutPasswords("http://h/m?signature=k4&max_tokens=8&keyword=fp8#access_token=k5 (x)"),
    ).toBe("http://h/m?signature=***&max_tokens=8&keyword=fp8#access_token=*** (x)");
    expect(withoutPasswords("a?b=1&c=2 && x=3")).toBe("a?b=1&c=2 && x=3");
  });
});
