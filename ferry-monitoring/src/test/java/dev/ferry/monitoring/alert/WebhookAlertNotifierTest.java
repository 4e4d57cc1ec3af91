package dev.ferry.monitoring.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.UnavailableException;
import dev.ferry.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookAlertNotifierTest {

    HttpServer server;
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final List<String> contentTypes = new CopyOnWriteArrayList<>();
    volatile int status = 200;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            received.add(new ObjectMapper().readTree(ex.getRequestBody()));
            contentTypes.add(ex.getRequestHeaders().getFirst("Content-Type"));
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    @Test
    void aFiringAndAResolvedAlertArePostedOnceEachAsJson() {
        MutableClock clock = new MutableClock(Instant.parse("2024-05-01T00:00:00Z"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ScoreBoard board = new ScoreBoard(meters);
        AlertEvaluator e = new AlertEvaluator(List.of(AlertRule.of("psi", "drift.psi{feature=income}", Comparison.ABOVE, 0.2,
                Duration.ofMinutes(5))), clock, List.of(new WebhookAlertNotifier(url(), Duration.ofSeconds(10)), new LogAlertNotifier()), meters);
        ScoreKey key = ScoreKey.parse("drift.psi{feature=income}");
        board.set(key, 0.4);
        for (int i = 0; i < 4; i++) {
            e.evaluate(board);
            clock.advance(Duration.ofMinutes(5));
        }
        board.set(key, 0.1);
        e.evaluate(board);
        clock.advance(Duration.ofMinutes(5));
        e.evaluate(board);

        assertThat(received).hasSize(2);
        JsonNode firing = received.getFirst();
        assertThat(firing.get("status").asText()).isEqualTo("firing");
        assertThat(firing.get("rule").asText()).isEqualTo("psi");
        assertThat(firing.get("score").asText()).isEqualTo("drift.psi{feature=income}");
        assertThat(firing.get("labels").get("feature").asText()).isEqualTo("income");
        assertThat(firing.get("value").asDouble()).isEqualTo(0.4);
        assertThat(firing.get("threshold").asDouble()).isEqualTo(0.2);
        assertThat(firing.get("since").asText()).isEqualTo("2024-05-01T00:00:00Z");
        assertThat(received.get(1).get("status").asText()).isEqualTo("resolved");
        assertThat(contentTypes).containsOnly("application/json");
    }

    @Test
    void anErrorAnswerIsAFailureNamingTheStatus() {
        status = 500;
        AlertEvent event = new AlertEvent(AlertEvent.State.FIRING, AlertRule.of("r", "x", Comparison.ABOVE, 1, Duration.ZERO),
                ScoreKey.parse("x"), 2, Instant.EPOCH, Instant.EPOCH);
        assertThatThrownBy(() -> new WebhookAlertNotifier(url(), Duration.ofSeconds(10)).notify(event))
                .isInstanceOf(UnavailableException.class).hasMessageContaining("answered 500 to alert r");
    }
}
