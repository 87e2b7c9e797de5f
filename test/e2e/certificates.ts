import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A throwaway CA and a server certificate it signed for `names`, made with openssl in a fresh folder. */
export interface TestCertificates {
    dir: string;
    /** The CA's PEM, for the client to trust. */
    caPem: string;
    /** The server's key and certificate files, in `dir`. */
    keyFile: string;
    certFile: string;
}

export function makeTestCertificates(names: readonly string[], prefix: string): TestCertificates {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    openssl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=clawcage test CA");
    openssl("req", ...ec, "-keyout", "key.pem", "-out", "req.pem", "-subj", `/CN=${names[0]}`);
    fs.writeFileSync(path.join(dir, "san.ext"), `subjectAltName=${names.map((n) => `DNS:${n}`).join(",")}\n`);
    openssl("x509", "-req", "-in", "req.pem", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "cert.pem", "-days", "2", "-extfile", "san.ext");
    // Servers in containers run as their image's user: the key must be readable there.
    fs.chmodSync(path.join(dir, "key.pem"), 0o644);
    return { dir, caPem: fs.readFileSync(path.join(dir, "ca.pem"), "utf8"), keyFile: path.join(dir, "key.pem"), certFile: path.join(dir, "cert.pem") };
}
