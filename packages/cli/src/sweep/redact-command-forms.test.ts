import { describe, expect, it } from "vitest";
import { commandSecrets, redactCommand, secretValues } from "./redact-command.js";

/** A command as recorded: redacted with the secrets written in it, as a sweep records a server's command. */
const recorded = (command: string) => redactCommand(command, commandSecrets(command));

describe("redactCommand: a header given as Name=value", () => {
  it("hides a credential header's value, the scheme shown, quoted, unquoted and in a bash -c string", () => {
    const cases: [string, string][] = [
      // the shell passes the token as the next word: it is the header's all the same
      [
        "vllm serve m --extra-headers Authorization=Bearer sk-kv-1 --port 8000",
        "vllm serve m --extra-headers Authorization=Bearer *** --port 8000",
      ],
      [
        `vllm serve m --extra-headers "Authorization=Bearer sk-kv-2" --port 8000`,
        `vllm serve m --extra-headers "Authorization=Bearer ***" --port 8000`,
      ],
      [
        `serve --extra-headers=Authorization="Bearer sk-kv-3"`,
        `serve --extra-headers=Authorization="Bearer ***"`,
      ],
      [
        "bash -c 'serve --extra-headers Authorization=Bearer sk-kv-3b'",
        "bash -c 'serve --extra-headers Authorization=Bearer ***'",
      ],
      [
        `bash -c "serve --extra-headers Authorization=Bearer\\ sk-kv-4 --port 1"`,
        `bash -c "serve --extra-headers Authorization=Bearer\\ *** --port 1"`,
      ],
      [
        `bash -c "serve --extra-headers \\"Proxy-Authorization=Basic dTpwdw==\\" --port 1"`,
        `bash -c "serve --extra-headers \\"Proxy-Authorization=Basic ***\\" --port 1"`,
      ],
      [
        "serve --extra-headers X-Api-Key=k-kv-5,X-Author=alice-writer",
        "serve --extra-headers X-Api-Key=***,X-Author=alice-writer",
      ],
      ["serve --headers Cookie=sid=s-kv-6-long", "serve --headers Cookie=***"],
    ];
    expect(cases.map(([command]) => recorded(command))).toEqual(cases.map(([, shown]) => shown));
    expect(commandSecrets("serve --extra-headers Authorization=Bearer sk-kv-1")).toEqual([
      "sk-kv-1",
    ]);
  });

  it("keeps a header that is no credential's, a bare scheme, the next flag and a shell variable", () => {
    const kept = [
      `serve --extra-headers "X-Author=alice-writer" --x X-Team=blue`,
      "serve --extra-headers Authorization=Bearer --port 8000",
      "serve --extra-headers Authorization=Bearer $TOKEN",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, kept as written
      "serve --extra-headers 'Authorization=Bearer ${TOKEN}'",
      "serve --extra-headers X-Api-Key=$GATEWAY_KEY",
      "serve --extra-headers X-Session-Sticky=true",
      // a URL's query parameter is no header: withoutPasswords masks it up to where the URL ends
      "https://b.s3.amazonaws.com/c.yaml?X-Amz-Signature=***: no such file",
    ];
    expect(kept.map(recorded)).toEqual(kept);
  });
});

describe("redactCommand: a header in JSON", () => {
  it("hides an Authorization header's token, the scheme shown, and a credential header's value by its name", () => {
    expect(
      recorded(
        `vllm serve m --extra-headers '{"Authorization": "Bearer sk-json-1", "X-Api-Key": "k-json-2", "X-Author": "bob-writer"}'`,
      ),
    ).toBe(
      `vllm serve m --extra-headers '{"Authorization": "Bearer ***", "X-Api-Key": "***", "X-Author": "bob-writer"}'`,
    );
    expect(
      recorded(
        `bash -c "serve --extra-headers '{\\"Authorization\\": \\"Bearer sk-json-3\\"}' --port 1"`,
      ),
    ).toBe(`bash -c "serve --extra-headers '{\\"Authorization\\": \\"Bearer ***\\"}' --port 1"`);
    // the token alone is the secret hidden elsewhere: a log that prints it without its scheme is redacted
    expect(commandSecrets(`serve --h '{"Authorization": "Bearer sk-json-1"}'`)).toEqual([
      "sk-json-1",
    ]);
    // a config's key is not judged as a header's
    const config = `serve --hf-overrides '{"session_len": 4096, "authorization": "Bearer"}'`;
    expect(recorded(config)).toBe(config);
  });
});

describe("redactCommand: a tool's password option", () => {
  it("hides mysql's -pPW and -p PW, sshpass's, redis-cli's -a, docker login's -p, in a bash -c string too", () => {
    const cases: [string, string][] = [
      ["mysql -uroot -ppw-mysql-1 -h db bench", "mysql -uroot -p*** -h db bench"],
      ["mysql -uroot -p pw-mysql-2 -h db", "mysql -uroot -p *** -h db"],
      [`/usr/bin/mysqldump -p"pw mysql 3" db`, "/usr/bin/mysqldump -p*** db"],
      ["mysql --password=pw-mysql-4 -h db", "mysql --password=*** -h db"],
      ["mariadb -u me --password pw-maria-5", "mariadb -u me --password ***"],
      ["sshpass -p 'pw-sshpass-6' ssh gpu1", "sshpass -p *** ssh gpu1"],
      ["redis-cli -h r -a pw-redis-7 ping", "redis-cli -h r -a *** ping"],
      [
        "docker login -u me -p pw-docker-8 ghcr.io && docker run -p 8000:8000 img",
        "docker login -u me -p *** ghcr.io && docker run -p 8000:8000 img",
      ],
      [
        `bash -c 'mysql -ppw-mysql-9 -e "select 1"; vllm serve m -p 9000'`,
        `bash -c 'mysql -p*** -e "select 1"; vllm serve m -p 9000'`,
      ],
    ];
    expect(cases.map(([command]) => recorded(command))).toEqual(cases.map(([, shown]) => shown));
    expect(commandSecrets("mysql -ppw-mysql-1 && mysql -p 'pw mysql 2'")).toEqual([
      "pw-mysql-1",
      "pw mysql 2",
    ]);
  });

  it("keeps -p of any other command (a port), mysql's -p that asks for the password, and a shell variable", () => {
    const kept = [
      "docker run -p 8000:8000 vllm/vllm-openai --port 8000",
      "ssh -p 2222 gpu1 nvidia-smi",
      "mysql -uroot -p -h db",
      "mysql -uroot -p$DB_PW -h db",
      "mysql -uroot -P 3306 -h db",
      "sshpass -p $SSHPASS ssh gpu1",
    ];
    expect(kept.map(recorded)).toEqual(kept);
  });
});

describe("redactCommand and secretValues: variables whose names end in KEY, AUTH or PASS", () => {
  it("hide OPENAI_KEY, AZURE_OPENAI_KEY, HF_AUTH, REDIS_PASS; keep KEY_VALUE_CACHE_DTYPE and SORT_KEY", () => {
    expect(
      recorded(
        "OPENAI_KEY=sk-o-1 AZURE_OPENAI_KEY=az-2 HF_AUTH=hfa-3 REDIS_PASS=rp-4 KEY_VALUE_CACHE_DTYPE=float16 SORT_KEY=name serve",
      ),
    ).toBe(
      "OPENAI_KEY=*** AZURE_OPENAI_KEY=*** HF_AUTH=*** REDIS_PASS=*** KEY_VALUE_CACHE_DTYPE=float16 SORT_KEY=name serve",
    );
    expect(
      secretValues({
        OPENAI_KEY: "sk-openai-1",
        AZURE_OPENAI_KEY: "az-key-22",
        HF_AUTH: "hf-auth-3",
        KEY_VALUE_CACHE_DTYPE: "float16",
        SORT_KEY: "name",
        SSH_AUTH_SOCK: "/tmp/ssh-agent.sock",
      }),
    ).toEqual(["sk-openai-1", "az-key-22", "hf-auth-3"]);
  });
});

describe("commandSecrets: a Basic credential a command sends", () => {
  it("gives its token, the decoded user:password and the password, in each form a header is written, the scheme kept", () => {
    const basic = Buffer.from("alice:pw-basic-9").toString("base64");
    const command = `curl -H 'Authorization: Basic ${basic}' http://gw; serve --extra-headers Authorization=Basic\\ ${basic} --json '{"Authorization": "Basic ${basic}"}'`;
    expect(commandSecrets(command)).toEqual([basic, "alice:pw-basic-9", "pw-basic-9"]);
    // a password of fewer than 4 characters would hide every such word of a log: the token and user:password only
    const short = Buffer.from("bob:pw1").toString("base64");
    expect(commandSecrets(`curl -H "Authorization: Basic ${short}" http://gw`)).toEqual([
      short,
      "bob:pw1",
    ]);
    expect(recorded(command)).toBe(
      `curl -H 'Authorization: Basic ***' http://gw; serve --extra-headers Authorization=Basic\\ *** --json '{"Authorization": "Basic ***"}'`,
    );
  });
});
