// The e2e's alert webhook: HTTPS with the run's certificate, answering only POSTs to its secret path (as a Slack
// incoming webhook does). One JSON line per alert accepted: the alert's id, rule and whether it was blocked.
const fs = require("node:fs");
const https = require("node:https");

const PATH = process.env.WEBHOOK_PATH;
const options = { key: fs.readFileSync("/certs/key.pem"), cert: fs.readFileSync("/certs/cert.pem") };

https
    .createServer(options, (req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
            if (req.method !== "POST" || req.url !== PATH) {
                // The path is the credential: it is never printed.
                console.error(JSON.stringify({ refused: req.method }));
                res.writeHead(404).end();
                return;
            }
            const alert = JSON.parse(body).clawcage;
            console.log(JSON.stringify({ id: alert.id, rule: alert.rule, blocked: alert.blocked, paused: alert.paused, time: new Date().toISOString(), text: JSON.parse(body).text.length > 0 }));
            res.writeHead(200).end("ok");
        });
    })
    .listen(443);
