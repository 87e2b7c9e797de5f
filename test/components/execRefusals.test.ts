import { refusalTests, type Refusal } from "../support/refusals";

/**
 * The exec allowlist's refusals, each with its accepted neighbour: shells in disguise refused as bare names with
 * the one form to allow instead, and forms that reach what makes a program a shell.
 */
const refusals: Refusal[] = [
    ...[
        ["git", "git status"],
        ["npm", "npm test"],
        ["make", "make test"],
        ["yarn", "yarn test"],
        ["sed", "sed -n 1,20p README.md"],
        ["tar", "tar -tf release.tar"],
        ["curl", "curl -sS https://api.example.com/status"],
    ].map(([bare, form]) => ({
        what: `the bare program ${bare}`,
        bad: { rollout: { stage: "build" }, tools: { exec: { allowCommands: [bare] } } },
        field: "settings.tools.exec.allowCommands[0]",
        says: new RegExp(`the bare name allows any code; list the one form you need, e\\.g\\. '${form.replace(/[.*/]/g, "\\$&")}' \\(or run it only in the sandbox\\)`),
        neighbour: { rollout: { stage: "build" as const }, tools: { exec: { allowCommands: [form] } } },
    })),
    ...[
        ["git -c core.pager=less log", /'git -c' runs code through -c, aliases, hooks.*allow only forms starting with status, log, diff/, "git log *"],
        ["git commit -m *", /'git commit' runs code through -c, aliases, hooks/, "git diff *"],
        ["npm test *", /'\*' would let the agent choose 'npm's arguments/, "npm test"],
        ["sed -n 1e", /the script '1e' may hold/, "sed -n 1p"],
        ["sed -i s/a/b/ x", /'-i' reaches what makes 'sed' a shell/, "sed -n 1,20p x"],
        ["tar --to-command=sh -xf a.tar", /'--to-command=sh' reaches/, "tar -tf a.tar"],
        ["curl -o out https://example.com", /'-o' reaches/, "curl -sS https://example.com"],
        ["vim README.md", /interactive and has a shell escape/, "ls *"],
        ["make -f evil.mk", /'-f' reaches/, "make test"],
        ["git log | sh", /'\|' in 'git log \| sh' is not a plain argument/, "git log *"],
        ["git log $(id)", /'\$\(id\)' .* is not a plain argument/, "git log *"],
        ["git log sudo", /contains the denied 'sudo'/, "git log"],
    ].map(([bad, says, neighbour]) => ({
        what: `the exec form ${String(bad)}`,
        bad: { rollout: { stage: "build" }, tools: { exec: { allowCommands: ["ls", bad] } } },
        field: "settings.tools.exec.allowCommands[1]",
        says: says as RegExp,
        neighbour: { rollout: { stage: "build" as const }, tools: { exec: { allowCommands: ["ls", neighbour as string] } } },
    })),
];

describe("exec forms: shells in disguise refused before anything is deployed", () => refusalTests(refusals));
