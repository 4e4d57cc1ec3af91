package dev.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.InvalidInputException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerExtensionTest {

    @TempDir
    Path dir;
    ServerHarness h;
    final AtomicBoolean closed = new AtomicBoolean();

    /** A tiny extension: a read route and a change that refuses a negative count. */
    final class Counter implements ServerExtension {
        int count;

        @Override
        public void register(ServerContext ctx) {
            ctx.adminGet("/v1/admin/counter", call -> Map.of("count", count, "actor", call.actor()));
            ctx.adminPost("/v1/admin/counter/{name}", "count", "name", call -> {
                int by = call.body().path("by").asInt(1);
                if (by < 0) {
                    throw new InvalidInputException("field 'by' was " + by + " but it must be zero or more");
                }
                count += by;
                return Map.of("count", count, "name", call.path().get("name"), "thread", Thread.currentThread().getName(),
                        "virtual", Thread.currentThread().isVirtual());
            });
            ctx.audit("system", "counter_ready", "", Map.of(), "ok");
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void anExtensionsAdminRoutesShareTheTokenTheErrorsAndTheAuditLog() throws Exception {
        h = new ServerHarness(dir);
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).adminToken(ServerHarness.TOKEN).dataDir(dir.resolve("data"))
                .budget(Duration.ofSeconds(30)).build();
        h.server = FerryServer.builder().config(config).registry(h.registry).clock(h.clock).discoverExtensions(false)
                .extension(new Counter()).build().start();

        assertThat(h.get("/v1/admin/counter").status()).isEqualTo(401);
        assertThat(h.send(HttpRequest.newBuilder(h.uri("/v1/admin/counter")).header("Authorization", "Bearer wrong-token-0123456789")
                .GET()).status()).isEqualTo(403);
        ServerHarness.Reply first = h.admin("POST", "/v1/admin/counter/a", null);
        assertThat(first.json().get("count").asInt()).isEqualTo(1);
        // a change runs on the admin platform thread, never on a request carrier
        assertThat(first.json().get("thread").asText()).isEqualTo("ferry-admin");
        assertThat(first.json().get("virtual").asBoolean()).isFalse();
        assertThat(h.admin("POST", "/v1/admin/counter/a", "{\"by\": 4}").json().get("count").asInt()).isEqualTo(5);
        ServerHarness.Reply bad = h.admin("POST", "/v1/admin/counter/a", "{\"by\": -1}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("field 'by'");
        assertThat(h.admin("POST", "/v1/admin/counter/a", "{oops").status()).isEqualTo(400);
        assertThat(h.admin("GET", "/v1/admin/counter", null).json().get("count").asInt()).isEqualTo(5);

        String audit = Files.readString(dir.resolve("data/audit/admin-audit.jsonl"));
        assertThat(audit.lines().filter(l -> l.contains("\"action\":\"count\""))).hasSize(3);
        assertThat(audit).contains("counter_ready").contains("refused: field 'by' was -1");
        h.server.close();
        h.server = null;
        assertThat(closed).isTrue();
    }

    @Test
    void anExtensionThatCannotStartFailsTheServerWithItsMessage() {
        h = new ServerHarness(dir);
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).dataDir(dir.resolve("data")).build();
        ServerExtension broken = ctx -> {
            throw new InvalidInputException("FERRY_X was 'y' but it must be z");
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FerryServer.builder().config(config).registry(h.registry)
                .discoverExtensions(false).extension(new Counter()).extension(broken).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("FERRY_X was 'y'");
        assertThat(closed).isTrue();
    }
}
