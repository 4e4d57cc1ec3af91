package dev.ferry.bench.serving;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP round trip of a prediction with nothing of Ferry in it: a Helidon server with the
 * same connection options as {@code FerryServer}, whose one route reads a POSTed body in full
 * and answers a fixed JSON body of a prediction's size. The load client sends it the very
 * request bodies it sends {@code /v1/predict}, so the difference between the two is Ferry's own
 * work, not the cost of sending a body (which a GET does not pay).
 */
final class BareHttp implements AutoCloseable {

    private final WebServer web;

    private BareHttp(byte[] answer) {
        HttpRouting.Builder routing = HttpRouting.builder();
        routing.post("/echo", (req, res) -> {
            try (InputStream in = req.content().inputStream()) {
                in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(answer);
        });
        this.web = WebServer.builder().host("127.0.0.1").port(0)
                .connectionOptions(o -> o.tcpNoDelay(true))
                .routing(routing)
                .build()
                .start();
    }

    /** Starts a server answering every POST to {@code /echo} with {@code answer}. */
    static BareHttp start(String answer) {
        return new BareHttp(answer.getBytes(StandardCharsets.UTF_8));
    }

    /** POSTs {@code body} to {@code url} and returns the answer's body. */
    static String post(String url, String body) throws IOException, InterruptedException {
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
            java.net.http.HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("POST " + url + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        }
    }

    String url() {
        return "http://127.0.0.1:" + web.port() + "/echo";
    }

    @Override
    public void close() {
        web.stop();
    }
}
