// A DNS server that logs every name it is asked and forwards the query to Docker's embedded DNS, so the
// names it answers are the ones the container's network knows. The hostile suite points the egress
// proxy's resolver at it (squid's dns_nameservers) to see which names the proxy looks up: a name looked
// up is a name sent out, whatever the proxy then does with the request. One JSON line per query on stdout.
const dgram = require("node:dgram");

const UPSTREAM = { host: "127.0.0.11", port: 53 };

/** The question's name: length-prefixed labels from byte 12 of the message (queries carry no compression). */
function questionName(msg) {
    const labels = [];
    for (let i = 12; i < msg.length && msg[i] !== 0; i += msg[i] + 1) labels.push(msg.subarray(i + 1, i + 1 + msg[i]).toString("latin1"));
    return labels.join(".");
}

const server = dgram.createSocket("udp4");
server.on("message", (msg, client) => {
    console.log(JSON.stringify({ name: questionName(msg) }));
    const upstream = dgram.createSocket("udp4");
    const done = () => upstream.close();
    const timer = setTimeout(done, 5000);
    upstream.on("message", (answer) => {
        clearTimeout(timer);
        server.send(answer, client.port, client.address, done);
    });
    upstream.send(msg, UPSTREAM.port, UPSTREAM.host);
});
server.bind(53);
