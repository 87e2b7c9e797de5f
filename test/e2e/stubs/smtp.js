// The e2e's mail server: smtp-server (the maintained npm SMTP server), offering STARTTLS with the run's
// certificate and refusing AUTH before it (its default), accepting one login. One JSON line per mail: the alert's
// id, rule and decision from its headers, whether the session was TLS, and who logged in.
const fs = require("node:fs");
const { SMTPServer } = require("smtp-server");

const server = new SMTPServer({
    key: fs.readFileSync("/certs/key.pem"),
    cert: fs.readFileSync("/certs/cert.pem"),
    authMethods: ["PLAIN", "LOGIN"],
    logger: false,
    onAuth(auth, _session, callback) {
        if (auth.username === process.env.SMTP_USER && auth.password === process.env.SMTP_PASSWORD) callback(null, { user: auth.username });
        else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
        let message = "";
        stream.on("data", (chunk) => (message += chunk));
        stream.on("end", () => {
            const header = (name) => new RegExp(`^${name}: ([^\r\n]*)`, "mi").exec(message.split("\r\n\r\n")[0])?.[1]?.trim() ?? "";
            console.log(JSON.stringify({ id: header("X-Clawcage-Alert-Id"), rule: header("X-Clawcage-Rule"), blocked: header("X-Clawcage-Decision") !== "seen", paused: header("X-Clawcage-Decision") === "paused", time: new Date().toISOString(), tls: session.secure, user: session.user }));
            callback();
        });
    },
});
server.on("error", (e) => console.error(JSON.stringify({ error: e.message })));
server.listen(Number(process.env.SMTP_PORT));
