/**
 * The exec allowlist as exact command forms (`git status`, `git log *`, `npm test`), never bare program names:
 * OpenClaw's approvals store gets one entry per form, the program's name with an `argPattern`, an ECMAScript
 * regular expression that OpenClaw matches against the command's arguments joined by single spaces. A command
 * run with any other arguments is an allowlist miss, and exec refuses it.
 *
 * Form syntax: the program, then literal arguments; a final `*` allows further arguments that are not options
 * (none starts with `-`) and name nothing outside the workspace (none starts with `/` or `~`, none has a `..`
 * segment), for programs whose arguments are data (paths, revisions, messages). Measured: outside a repository
 * `git diff <file> /dev/null` prints any file the gateway can read.
 */

export interface ExecForm {
    /** The form as written in settings. */
    text: string;
    program: string;
    /** Literal arguments, in order. */
    args: string[];
    /** A final `*`: further non-option arguments allowed. */
    rest: boolean;
}

const PROGRAM = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
// Literal words hold no shell syntax: OpenClaw parses the command before matching, a form never needs quoting.
const LITERAL = /^[A-Za-z0-9._/:=@%+,^~-]+$/;

/** Shells and interpreters: any form of them runs any code. */
const CODE_RUNNERS = new Set([
    "sh", "bash", "zsh", "dash", "ksh", "mksh", "fish", "csh", "tcsh", "busybox", "toybox",
    "node", "nodejs", "deno", "bun", "perl", "ruby", "php", "lua", "luajit", "tclsh", "wish", "expect", "pwsh",
    "env", "xargs", "nohup", "timeout", "nice", "ionice", "setsid", "stdbuf", "chroot", "script", "watch",
    "sudo", "su", "doas", "runuser", "awk", "gawk", "mawk", "find", "ssh", "docker", "npx", "eval", "exec", "command", "builtin",
]);
const PYTHON = /^python[0-9.]*$/;

/** Interactive programs with a shell escape (`!cmd`, `:!`, `M-x shell`): no form of them is safe to hand to an agent. */
const SHELL_ESCAPES = new Set(["vi", "vim", "nvim", "view", "vimdiff", "ex", "ed", "emacs", "nano", "pico", "less", "more", "most", "man", "pager", "top", "gdb"]);

interface Disguise {
    /** How the program runs code of someone else's choosing. */
    how: string;
    /** A form that does the everyday job. */
    example: string;
    /** For programs whose forms may end in `*`: the first arguments they may start with. */
    restAfter?: RegExp;
    /** Literal arguments that reach the code-running part. */
    forbidden?: RegExp;
    /** What the program's script (its first argument that is not an option) must not contain. */
    script?: RegExp;
}

/** Programs that run arbitrary code through their own options, config or scripts: shells in disguise. */
export const DISGUISED: Readonly<Record<string, Disguise>> = {
    git: {
        how: "runs code through -c, aliases, hooks and its repository's config (pager, fsmonitor, filters)",
        example: "git status",
        // History and state only: add, commit, checkout, rebase, fetch, config, submodule, bisect... run hooks, filters or transports.
        restAfter: /^(status|log|diff|show|blame|ls-files|rev-parse)$/,
    },
    npm: { how: "runs package.json scripts and reads .npmrc", example: "npm test" },
    yarn: { how: "runs package.json scripts and reads .yarnrc", example: "yarn test" },
    pnpm: { how: "runs package.json scripts", example: "pnpm test" },
    make: { how: "runs the Makefile's recipes (and -f/-E/--eval run any)", example: "make test", forbidden: /^-/ },
    cargo: { how: "runs build scripts and aliases from .cargo/config", example: "cargo test" },
    pytest: { how: "runs conftest.py and plugins from the project", example: "pytest tests" },
    sed: { how: "runs commands through its own script (the e command, s///e) and writes files (w)", example: "sed -n 1,20p README.md", forbidden: /^-[^-]*[efi]|^--(expression|file|in-place)/, script: /[ew]/ },
    tar: { how: "runs programs through --to-command, -I, --use-compress-program and --checkpoint-action", example: "tar -tf release.tar", forbidden: /^--(to-command|use-compress-program|checkpoint-action|info-script|new-volume-script|rsh-command)|^-[^-]*[IF]/ },
    curl: { how: "writes responses to files (-o, -O) and reads its own config (-K, .curlrc)", example: "curl -sS https://api.example.com/status", forbidden: /^-[^-]*[oOKT]|^--(output|remote-name|config|upload-file)/ },
    wget: { how: "runs its own commands (-e) and writes files (-O)", example: "wget -q --spider https://example.com/status", forbidden: /^-[^-]*[eOoPi]|^--(execute|output-document|directory-prefix|input-file)/ },
    rsync: { how: "runs the program named by -e/--rsh", example: "rsync -n -a src/ dst/", forbidden: /^-[^-]*e|^--(rsh|rsync-path)/ },
    scp: { how: "runs the program named by -S", example: "scp a b", forbidden: /^-[^-]*S/ },
    zip: { how: "runs the program named by -TT/--unzip-command", example: "zip -r out.zip src", forbidden: /^-TT|^--unzip-command/ },
};

/** The form parsed, or the reason it is not one. */
export function parseExecForm(text: string): ExecForm | string {
    const words = text.trim().split(/ +/);
    const [program, ...rest] = words;
    if (!PROGRAM.test(program ?? "")) return `'${text}' does not start with a program name; write the command as you would type it, e.g. 'git status'`;
    const star = rest[rest.length - 1] === "*";
    const args = star ? rest.slice(0, -1) : rest;
    const bad = args.find((a) => !LITERAL.test(a));
    if (bad !== undefined) return `'${bad}' in '${text}' is not a plain argument: forms hold literal words (letters, digits, . _ / : = @ % + , - ^ ~) and may end in '*'; no quotes, pipes, redirections or variables`;
    return { text, program, args, rest: star };
}

/** A form that the settings already accepted (parseSettings checked every one). */
export function execForm(text: string): ExecForm {
    const form = parseExecForm(text);
    if (typeof form === "string") throw new Error(`${form}; parse the settings with parseSettings first`);
    return form;
}

/** Why a form must not be allowlisted, with how to allow what the user needs; undefined when it may be. */
export function execFormProblem(form: ExecForm, denyCommands: string[]): string | undefined {
    const { program, args, text } = form;
    if (CODE_RUNNERS.has(program) || PYTHON.test(program)) {
        return `'${program}' is a shell or interpreter: any form of it runs any code; it runs only in the sandbox (chats in the git and build stages run their commands on the sandbox host)`;
    }
    if (SHELL_ESCAPES.has(program)) {
        return `'${program}' is interactive and has a shell escape: no form of it is safe; read files with the read tool, change them with write (draft stage)`;
    }
    const disguise = DISGUISED[program];
    if (disguise) {
        if (args.length === 0) return `'${program}' ${disguise.how}, so the bare name allows any code; list the one form you need, e.g. '${disguise.example}' (or run it only in the sandbox)`;
        const forbidden = disguise.forbidden && args.find((a) => disguise.forbidden?.test(a));
        if (forbidden) return `'${text}': '${forbidden}' reaches what makes '${program}' a shell (it ${disguise.how}); list a form without it, e.g. '${disguise.example}'`;
        const script = args.find((a) => !a.startsWith("-"));
        if (disguise.script && script !== undefined && disguise.script.test(script)) {
            return `'${text}': the script '${script}' may hold what makes '${program}' a shell (it ${disguise.how}); list a form whose script has no such command, e.g. '${disguise.example}'`;
        }
        if (disguise.restAfter && !disguise.restAfter.test(args[0])) {
            return `'${text}': '${program} ${args[0]}' ${disguise.how}; allow only forms starting with ${disguise.restAfter.source.replace(/^\^\(|\)\$$/g, "").split("|").join(", ")}, or run it only in the sandbox`;
        }
        if (form.rest && !disguise.restAfter) return `'${text}': '*' would let the agent choose '${program}'s arguments, and it ${disguise.how}; list the exact form, e.g. '${disguise.example}'`;
    }
    const denied = denyCommands.find((d) => text.includes(d.trim()));
    if (denied) return `'${text}' contains the denied '${denied.trim()}'; remove it from one of tools.exec.allowCommands / denyCommands`;
    return undefined;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/**
 * The form's argPattern: its literal arguments exactly, then (with `*`) words that are not options and stay in the
 * workspace; the deny list as a second net, on the arguments themselves (a lookahead no argument may match).
 */
export function argPattern(form: ExecForm, denyCommands: string[]): string {
    const deny = denyCommands.map((d) => d.trim()).filter(Boolean).map(escapeRegExp);
    const net = deny.length > 0 ? `(?!.*(?:${deny.join("|")}))` : "";
    // Not an option, not absolute or home-relative, no parent segment (`a/../b`); `main..topic` stays a revision range.
    const word = "(?![-/~]|(?:[^\\s/]*/)*\\.\\.(?:/|\\s|$))\\S+";
    const literals = form.args.map(escapeRegExp).join(" ");
    const tail = !form.rest ? "" : literals ? `(?: ${word})*` : `(?:${word}(?: ${word})*)?`;
    return `^${net}${literals}${tail}$`;
}

/** One approvals-store entry per form. */
export function approvalsEntry(form: ExecForm, denyCommands: string[]): { pattern: string; argPattern: string } {
    return { pattern: form.program, argPattern: argPattern(form, denyCommands) };
}
